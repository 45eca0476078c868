/**
 * The Admin GraphQL client every use case gets. It wraps the Shopify
 * library's `admin.graphql` and adds what the library leaves to apps:
 * pacing from Shopify's cost-based throttle and retrying THROTTLED answers.
 */

export type RawGraphql = (
  query: string,
  options?: { variables?: Record<string, unknown> },
) => Promise<Response>;

export interface GraphqlErrorEntry {
  message: string;
  path?: (string | number)[];
  extensions?: Record<string, unknown> & { code?: string };
}

interface ThrottleStatus {
  maximumAvailable: number;
  currentlyAvailable: number;
  restoreRate: number;
}

interface CostExtension {
  requestedQueryCost?: number;
  actualQueryCost?: number | null;
  throttleStatus?: ThrottleStatus;
}

/** Shopify refused the operation (validation, access, or a throttle we gave up on). */
export class AdminApiError extends Error {
  override name = "AdminApiError";
  constructor(
    message: string,
    readonly errors: GraphqlErrorEntry[],
  ) {
    super(message);
  }
  get code(): string | undefined {
    return this.errors[0]?.extensions?.code;
  }
}

export interface AdminGraphql {
  readonly shop: string;
  request<TData, TVariables extends Record<string, unknown> = Record<string, never>>(
    query: string,
    variables?: TVariables,
  ): Promise<TData>;
}

interface Bucket {
  available: number;
  maximum: number;
  restoreRate: number;
  at: number;
}

/**
 * What we last heard from Shopify about each shop's bucket. Process-wide: all
 * requests for a shop in this process drain the same bucket at Shopify.
 */
const buckets = new Map<string, Bucket>();
/** Requested cost of each operation the last time it ran, to pace before sending. */
const knownCosts = new Map<string, number>();

export interface AdminGraphqlOptions {
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  maxThrottleRetries?: number;
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function createAdminGraphql(raw: RawGraphql, shop: string, options: AdminGraphqlOptions = {}): AdminGraphql {
  const sleep = options.sleep ?? realSleep;
  const now = options.now ?? Date.now;
  const maxRetries = options.maxThrottleRetries ?? 6;

  function predictedAvailable(bucket: Bucket): number {
    return Math.min(bucket.maximum, bucket.available + ((now() - bucket.at) / 1000) * bucket.restoreRate);
  }

  function remember(cost: CostExtension | undefined, query: string) {
    if (!cost?.throttleStatus) return;
    const t = cost.throttleStatus;
    buckets.set(shop, { available: t.currentlyAvailable, maximum: t.maximumAvailable, restoreRate: t.restoreRate, at: now() });
    if (typeof cost.requestedQueryCost === "number") knownCosts.set(query, cost.requestedQueryCost);
  }

  async function waitForCapacity(query: string) {
    const bucket = buckets.get(shop);
    const cost = knownCosts.get(query);
    if (!bucket || cost === undefined || bucket.restoreRate <= 0) return;
    const shortfall = cost - predictedAvailable(bucket);
    if (shortfall > 0) await sleep(Math.ceil((shortfall / bucket.restoreRate) * 1000));
  }

  return {
    shop,
    async request<TData, TVariables extends Record<string, unknown>>(query: string, variables?: TVariables) {
      for (let attempt = 0; ; attempt++) {
        await waitForCapacity(query);
        const outcome = await send(raw, query, variables);
        remember(outcome.cost, query);
        if (outcome.ok) return outcome.data as TData;
        const throttled = outcome.errors.some((e) => e.extensions?.code === "THROTTLED");
        if (!throttled || attempt >= maxRetries) {
          throw new AdminApiError(
            throttled
              ? `Shopify kept throttling ${shop} after ${attempt + 1} attempts`
              : outcome.errors.map((e) => e.message).join("; "),
            outcome.errors,
          );
        }
        const status = outcome.cost?.throttleStatus;
        const requested = outcome.cost?.requestedQueryCost ?? 0;
        const waitMs =
          status && status.restoreRate > 0
            ? Math.ceil((Math.max(requested - status.currentlyAvailable, 1) / status.restoreRate) * 1000)
            : 1000 * 2 ** attempt;
        await sleep(waitMs);
      }
    },
  };
}

type Outcome =
  | { ok: true; data: unknown; cost?: CostExtension }
  | { ok: false; errors: GraphqlErrorEntry[]; cost?: CostExtension };

async function send(raw: RawGraphql, query: string, variables: Record<string, unknown> | undefined): Promise<Outcome> {
  try {
    const response = await raw(query, variables ? { variables } : undefined);
    const body = (await response.json()) as { data?: unknown; errors?: GraphqlErrorEntry[]; extensions?: { cost?: CostExtension } };
    if (body.errors?.length) return { ok: false, errors: body.errors, cost: body.extensions?.cost };
    return { ok: true, data: body.data, cost: body.extensions?.cost };
  } catch (error) {
    // @shopify/shopify-api throws GraphqlQueryError for answers with `errors`;
    // its `body` is the parsed response, extensions included.
    const body = (error as { body?: { errors?: { graphQLErrors?: GraphqlErrorEntry[] }; extensions?: { cost?: CostExtension } } }).body;
    const graphQLErrors = body?.errors?.graphQLErrors;
    if (graphQLErrors?.length) return { ok: false, errors: graphQLErrors, cost: body?.extensions?.cost };
    throw error;
  }
}
