import { json } from "@remix-run/node";

/** What routes throw for a request they refuse; RouteErrorBoundary shows `message`. */
export function jsonError(status: number, message: string, details?: Record<string, unknown>) {
  return json({ message, ...details }, { status });
}
