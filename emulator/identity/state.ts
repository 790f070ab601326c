/**
 * Identity-side server state: refresh tokens (opaque strings mapped here, never JWTs, so they can
 * be revoked), authorization codes, device codes, sign-in transactions and browser sessions.
 * Cleared by `reset()`.
 */

/** A refresh token's server-side record. */
export interface RefreshTokenRecord {
  /** The opaque token string handed to the client. */
  readonly token: string;
  /** All tokens rotated from one sign-in share a family (strict mode revokes the family). */
  readonly familyId: string;
  readonly clientId: string;
  readonly userObjectId: string;
  /** The user's home tenant (MSAL `client_info.utid`). */
  readonly homeTenantId: string;
  /** Authentication methods of the original sign-in (`amr`). */
  readonly amr: readonly string[];
  /** Epoch seconds of the original interactive sign-in. */
  readonly authTime: number;
  /** Epoch seconds this token was issued (inactivity window starts here). */
  readonly issuedAt: number;
  /** Session id (`sid`). */
  readonly sid: string;
  /** User password at sign-in: a later reset revokes the token (50173). */
  readonly passwordAtSignIn: string;
  /** Public client flow (no client secret at issuance): redeemable without a secret. */
  readonly publicClient: boolean;
  /** Family-of-client-ids token (Azure CLI, Graph CLI): `foci: "1"`. */
  readonly foci: boolean;
  /** Set when redeemed (rotated); strict mode treats a second use as reuse. */
  redeemedAt?: number;
  revoked: boolean;
}

/** A one-time authorization code. */
export interface AuthCodeRecord {
  readonly clientId: string;
  readonly redirectUri: string;
  /** Authority tenant (GUID) the code was issued at. */
  readonly tenantId: string;
  readonly userObjectId: string;
  readonly scopes: readonly string[];
  /** v1 authorize: the `resource` parameter. */
  readonly resource?: string;
  readonly codeChallenge?: string;
  readonly codeChallengeMethod?: "S256" | "plain";
  readonly nonce?: string;
  readonly amr: readonly string[];
  readonly authTime: number;
  readonly sid: string;
  /** Epoch seconds. */
  readonly expiresAt: number;
  used: boolean;
}

/** A pending device authorization (RFC 8628). */
export interface DeviceCodeRecord {
  readonly deviceCode: string;
  readonly userCode: string;
  readonly clientId: string;
  readonly tenantId: string;
  readonly scopes: readonly string[];
  readonly resource?: string;
  readonly expiresAt: number;
  readonly interval: number;
  status: "pending" | "approved" | "declined" | "redeemed";
  userObjectId?: string;
  amr?: string[];
  authTime?: number;
  sid?: string;
}

/** A sign-in in progress (authorize or device verification pages). */
export interface SignInTransaction {
  readonly id: string;
  readonly kind: "authorize" | "device";
  /** Authority tenant segment as requested (GUID, domain, organizations, common). */
  readonly tenantSegment: string;
  readonly clientId: string;
  readonly scopes: readonly string[];
  readonly resource?: string;
  readonly redirectUri?: string;
  readonly responseMode?: "query" | "fragment" | "form_post";
  readonly responseType?: string;
  readonly state?: string;
  readonly nonce?: string;
  readonly codeChallenge?: string;
  readonly codeChallengeMethod?: "S256" | "plain";
  readonly prompt?: string;
  readonly loginHint?: string;
  readonly userCode?: string;
  readonly createdAt: number;
  userObjectId?: string;
  /** One-time MFA code for this sign-in (read it with `GET /_emulator/mfa`). */
  mfaCode?: string;
  amr?: string[];
  authTime?: number;
}

/** All identity state of one emulator. */
export class IdentityState {
  readonly refreshTokens = new Map<string, RefreshTokenRecord>();
  /** Tokens per family (for strict-mode revocation). */
  readonly families = new Map<string, RefreshTokenRecord[]>();
  readonly authCodes = new Map<string, AuthCodeRecord>();
  readonly deviceCodes = new Map<string, DeviceCodeRecord>();
  readonly deviceCodesByUserCode = new Map<string, DeviceCodeRecord>();
  readonly transactions = new Map<string, SignInTransaction>();
  /** Browser sessions (cookie `ESTSAUTH` → signed-in user), for SSO and `prompt=none`. */
  readonly sessions = new Map<string, { userObjectId: string; amr: string[]; authTime: number; sid: string }>();
  /** Latest MFA code per user UPN (lower-case), for the control API. */
  readonly mfaCodes = new Map<string, string>();

  /** Store a refresh-token record. */
  addRefreshToken(r: RefreshTokenRecord): void {
    this.refreshTokens.set(r.token, r);
    const fam = this.families.get(r.familyId);
    if (fam) fam.push(r);
    else this.families.set(r.familyId, [r]);
  }

  /** Revoke every token of a family. */
  revokeFamily(familyId: string): void {
    for (const r of this.families.get(familyId) ?? []) r.revoked = true;
  }

  /** Revoke every refresh token of a user. Returns how many were live. */
  revokeUser(userObjectId: string): number {
    let n = 0;
    for (const r of this.refreshTokens.values()) {
      if (r.userObjectId === userObjectId && !r.revoked) {
        r.revoked = true;
        n++;
      }
    }
    return n;
  }
}
