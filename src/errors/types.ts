/**
 * The next step samkit tells the user, in the vocabulary of the case files
 * (`shared/cases/README.md`). `reconsent` maps to exit code 4 (CONTRACTS §5).
 */
export type ErrorAction =
  | "reconsent"
  | "fix-app-credentials"
  | "register-redirect"
  | "grant-customer-consent"
  | "check-cloud"
  | "check-conditional-access"
  | "retry-later"
  | "fix-input"
  | "none";

/** Process exit codes (CONTRACTS §5): 0 ok · 1 error · 2 usage · 3 partial failure · 4 re-consent. */
export const ExitCode = {
  Ok: 0,
  Error: 1,
  Usage: 2,
  Partial: 3,
  Reconsent: 4,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** One catalogue entry: the plain message, the next step and how a CLI exits with it. */
export interface CatalogueEntry {
  /** Plain-language message; may contain `{name}` placeholders filled from `SamkitErrorOptions.params`. */
  readonly message: string;
  /** What the user should do next; same placeholder rules. */
  readonly nextStep: string;
  readonly action: ErrorAction;
  /** Defaults: `reconsent` → 4, `fix-input` → 2, anything else → 1. */
  readonly exitCode?: ExitCode;
}

/**
 * Raw fields of an identity-platform (Entra ID) error body, kept without secrets.
 * @see https://learn.microsoft.com/entra/identity-platform/reference-error-codes
 */
export interface IdentityErrorFields {
  readonly error?: string;
  readonly error_description?: string;
  readonly error_codes?: readonly number[];
  readonly suberror?: string;
  readonly trace_id?: string;
  readonly correlation_id?: string;
  readonly claims?: string;
  readonly timestamp?: string;
}
