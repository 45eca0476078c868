import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useActionData, useLoaderData, useNavigation, useSubmit } from "@remix-run/react";
import { shopIdFor } from "~/batches/services.server";
import { settingsDeps } from "~/settings/services.server";
import { loadSettingsView, settingsUpdateSchema, updateSettings, type SettingsUpdate } from "~/settings/settings-page.server";
import { authenticate } from "~/shopify.server";
import { SettingsPage } from "~/ui/settings-page";
import { requireForm } from "~/ui/require-form.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  return loadSettingsView(settingsDeps, await shopIdFor(session.shop));
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const form = await requireForm(request);
  let value: unknown;
  try {
    value = JSON.parse(String(form.get("value") ?? ""));
  } catch {
    return json({ ok: false, intent: null, message: "That request was not valid." }, { status: 400 });
  }
  const parsed = settingsUpdateSchema.safeParse({ intent: form.get("intent"), value });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.slice(1).join(".");
    return json({ ok: false, intent: String(form.get("intent")), message: `${where ? `${where}: ` : ""}${issue?.message ?? "invalid"}` }, { status: 400 });
  }
  const result = await updateSettings(settingsDeps, await shopIdFor(session.shop), parsed.data);
  if (!result.ok) return json({ ok: false, intent: parsed.data.intent, message: result.message }, { status: 400 });
  return json({ ok: true, intent: parsed.data.intent, message: null });
};

export default function SettingsRoute() {
  const view = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const submit = useSubmit();
  return (
    <SettingsPage
      view={view}
      busy={navigation.state !== "idle"}
      result={result ?? null}
      onSave={(update: SettingsUpdate) => submit({ intent: update.intent, value: JSON.stringify(update.value) }, { method: "post" })}
    />
  );
}

export { RouteErrorBoundary as ErrorBoundary } from "~/ui/route-error-boundary";
