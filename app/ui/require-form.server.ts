import { jsonError } from "./json-error.server";

/**
 * The submitted form. A body that is not one (JSON, broken multipart, none at
 * all) makes `request.formData()` throw, which Remix would answer with a 500;
 * it is the client's mistake, so it gets a 400 saying what to send.
 */
export async function requireForm(request: Request): Promise<FormData> {
  try {
    return await request.formData();
  } catch {
    throw jsonError(400, "Send this request as a form (application/x-www-form-urlencoded or multipart/form-data).");
  }
}
