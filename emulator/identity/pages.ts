/**
 * HTML of the emulator's sign-in experience: sign-in, MFA, consent, device-code entry, the
 * form_post auto-submit page and error pages. Field names and button ids follow Entra's own
 * pages (`loginfmt`, `passwd`, `otc`, `#idSIButton9`, `#idBtn_Back`) so browser scripts written
 * for the real service also drive the emulator. Every interpolated value is HTML-escaped.
 */

/** Escape text for HTML element content and double-quoted attributes. */
export function esc(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}

function layout(title: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<style>
body{font-family:"Segoe UI",system-ui,sans-serif;background:#f2f2f2;margin:0}
main{max-width:440px;margin:60px auto;background:#fff;padding:44px;box-shadow:0 2px 6px rgba(0,0,0,.2)}
h1{font-size:24px;font-weight:600;margin:0 0 16px}
input[type=text],input[type=email],input[type=password]{width:100%;box-sizing:border-box;padding:6px 0;border:0;border-bottom:1px solid #666;font-size:15px;margin:8px 0 16px}
.buttons{display:flex;justify-content:flex-end;gap:8px;margin-top:24px}
button,input[type=submit]{min-width:108px;padding:6px 12px;font-size:15px;border:0;cursor:pointer}
.primary{background:#0067b8;color:#fff}.secondary{background:#ccc}
.error{color:#e81123;margin:8px 0}.note{color:#555;font-size:13px}
ul{padding-left:20px}
</style></head>
<body><main><div class="note">samkit emulator · not a Microsoft service</div>
${body}
</main></body></html>`;
}

/** Sign-in page (username + password). */
export function signInPage(p: { action: string; tx: string; username?: string; error?: string; appName: string }): string {
  return layout(
    "Sign in to your account",
    `<h1>Sign in</h1>
<p>to continue to <b>${esc(p.appName)}</b></p>
${p.error ? `<div class="error" id="usernameError" role="alert">${esc(p.error)}</div>` : ""}
<form method="post" action="${esc(p.action)}" id="signin">
<input type="hidden" name="tx" value="${esc(p.tx)}">
<label for="i0116">Email, phone, or Skype</label>
<input type="email" name="loginfmt" id="i0116" autocomplete="username" value="${esc(p.username ?? "")}" required>
<label for="i0118">Password</label>
<input type="password" name="passwd" id="i0118" autocomplete="current-password">
<div class="buttons">
<button type="submit" name="action" value="cancel" class="secondary" id="idBtn_Back" formnovalidate>Cancel</button>
<input type="submit" name="action" value="Sign in" class="primary" id="idSIButton9">
</div></form>`,
  );
}

/** MFA page: a one-time code (read it with `GET /_emulator/mfa?username=`) or an approve button. */
export function mfaPage(p: { action: string; tx: string; username: string; error?: string }): string {
  return layout(
    "Enter code",
    `<h1>Enter code</h1>
<p>We sent a verification code to the authenticator app of <b>${esc(p.username)}</b>. (Emulator: <code>GET /_emulator/mfa?username=${esc(encodeURIComponent(p.username))}</code>.)</p>
${p.error ? `<div class="error" id="idSpan_SAOTCC_Error_OTC" role="alert">${esc(p.error)}</div>` : ""}
<form method="post" action="${esc(p.action)}" id="mfa">
<input type="hidden" name="tx" value="${esc(p.tx)}">
<label for="idTxtBx_SAOTCC_OTC">Code</label>
<input type="text" name="otc" id="idTxtBx_SAOTCC_OTC" inputmode="numeric" autocomplete="one-time-code">
<div class="buttons">
<button type="submit" name="action" value="approve" class="secondary" id="idBtn_Approve">Approve sign-in request</button>
<input type="submit" name="action" value="Verify" class="primary" id="idSubmit_SAOTCC_Continue">
</div></form>`,
  );
}

/** Consent page listing the requested permissions. */
export function consentPage(p: { action: string; tx: string; appName: string; publisherTenant: string; permissions: readonly { resource: string; value: string; description: string }[]; admin: boolean }): string {
  const items = p.permissions.map((x) => `<li><b>${esc(x.description)}</b> <span class="note">(${esc(x.resource)}: ${esc(x.value)})</span></li>`).join("\n");
  return layout(
    "Permissions requested",
    `<h1>Permissions requested</h1>
<p><b>${esc(p.appName)}</b> <span class="note">(publisher tenant ${esc(p.publisherTenant)})</span></p>
<p>This app would like to:</p>
<ul id="permissions">${items}</ul>
${p.admin ? `<p class="note">Accepting consents on behalf of your organization.</p>` : ""}
<form method="post" action="${esc(p.action)}" id="consent">
<input type="hidden" name="tx" value="${esc(p.tx)}">
<div class="buttons">
<button type="submit" name="action" value="cancel" class="secondary" id="idBtn_Back">Cancel</button>
<input type="submit" name="action" value="Accept" class="primary" id="idSIButton9">
</div></form>`,
  );
}

/** Device-code entry page. */
export function deviceCodePage(p: { action: string; error?: string }): string {
  return layout(
    "Enter code",
    `<h1>Enter code</h1>
<p>Enter the code displayed on your app or device.</p>
${p.error ? `<div class="error" id="otcError" role="alert">${esc(p.error)}</div>` : ""}
<form method="post" action="${esc(p.action)}" id="device">
<input type="text" name="otc" id="otc" autocomplete="off" required>
<div class="buttons"><input type="submit" value="Next" class="primary" id="idSIButton9"></div>
</form>`,
  );
}

/** Final page of the device flow. */
export function deviceDonePage(appName: string, approved: boolean): string {
  return layout(
    approved ? "Signed in" : "Cancelled",
    approved
      ? `<h1 id="done">You have signed in to ${esc(appName)}</h1><p>You may now close this window.</p>`
      : `<h1 id="done">Sign-in cancelled</h1><p>You declined to sign in to ${esc(appName)} on your device.</p>`,
  );
}

/** The `form_post` response: an auto-submitting form POSTing `fields` to `redirectUri`. */
export function formPostPage(redirectUri: string, fields: Readonly<Record<string, string>>): string {
  const inputs = Object.entries(fields)
    .map(([k, v]) => `<input type="hidden" name="${esc(k)}" value="${esc(v)}">`)
    .join("\n");
  return `<!DOCTYPE html><html><head><title>Working...</title></head>
<body onload="document.forms[0].submit()"><form method="POST" name="hiddenform" action="${esc(redirectUri)}">
${inputs}
<noscript><p>Script is disabled. Click Submit to continue.</p><input type="submit" value="Submit"></noscript>
</form></body></html>`;
}

/** Entra-style error page (no redirect: unknown client, unregistered redirect URI, unknown tenant). */
export function errorPage(code: number, message: string, traceId: string, correlationId: string, timestamp: string): string {
  return layout(
    "Sign in error",
    `<h1>Sorry, but we're having trouble signing you in.</h1>
<p class="error" id="errorCode">AADSTS${code}: ${esc(message)}</p>
<p class="note">Request Id: ${esc(traceId)}<br>Correlation Id: ${esc(correlationId)}<br>Timestamp: ${esc(timestamp)}</p>`,
  );
}
