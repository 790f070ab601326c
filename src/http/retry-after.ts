/** `Retry-After` parsing lives with the error classifiers (a lower layer); re-exported for the seam. */
export { retryAfterSeconds } from "../errors/classify/retry-after.js";
