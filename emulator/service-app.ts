/**
 * The shape every service app factory returns: anything with a WHATWG `fetch` (a hono app).
 * `EmulatorServer` forwards requests to it after request logging and scenario middleware.
 */
export interface ServiceApp {
  fetch(request: Request, env?: unknown): Response | Promise<Response>;
}
