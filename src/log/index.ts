/** Logging: pino on stderr with allow-list redaction. */
export { createLogger, getLogger, setLogger, isLogLevel, LOG_LEVELS, type LogLevel, type SamkitLogger, type CreateLoggerOptions } from "./logger.js";
export { REDACTED, redactHeaders, redactUrl, redactBody, LOGGABLE_HEADERS, LOGGABLE_QUERY_PARAMS, LOGGABLE_FORM_FIELDS } from "./redact.js";
