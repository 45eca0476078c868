import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { handlePixelRequest } from "~/experiments/ingest-http.server";
import { eventIngestor } from "~/experiments/ingest-service.server";

/**
 * Public: the storefront web pixel posts experiment events here. No session;
 * the shop is the one whose pixel key the body carries (see ingest-http.server.ts).
 */
const log = (message: string, error: unknown) => console.error(message, error);

export const action = ({ request }: ActionFunctionArgs) => handlePixelRequest(request, eventIngestor(), log);

export const loader = ({ request }: LoaderFunctionArgs) => handlePixelRequest(request, eventIngestor(), log);
