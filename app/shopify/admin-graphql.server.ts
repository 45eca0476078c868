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
/** The most an operation has cost, for page sizes not seen yet. */
const highestCosts = new Map<string, number>();

/**
 * Shopify prices a query by the page sizes it asks for, so the same operation
 * costs differently with different `first`/`last`: its numeric variables are
 * part of the key.
 */
function costKey(query: string, variables: Record<string, unknown> | undefined): string {
  const sizes = Object.entries(variables ?? {})
    .filter(([, value]) => typeof value === "number")
    .sort(([a], [b]) => a.localeCompare(b));
  return sizes.length > 0 ? `${query}\n${JSON.stringify(sizes)}` : query;
}
/**
 * Requests of one shop take their turn to check the bucket, so concurrent jobs
 * queue behind each other instead of all seeing the same capacity and
 * overdrawing it together.
 */
const turns = new Map<string, Promise<void>>();
/** Assumed for an operation not yet seen: what Shopify charges a mutation. */
const UNSEEN_COST = 10;
/**
 * Cost reserved by requests sent but not yet answered. An answer's throttle
 * status may predate their arrival at Shopify, so it is read as that much
 * lower: at worst we wait a little longer than needed, never overdraw.
 */
const inFlight = new Map<string, number>();

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

  function remember(cost: CostExtension | undefined, query: string, variables: Record<string, unknown> | undefined) {
    if (!cost?.throttleStatus) return;
    const t = cost.throttleStatus;
    const pending = inFlight.get(shop) ?? 0;
    buckets.set(shop, { available: t.currentlyAvailable - pending, maximum: t.maximumAvailable, restoreRate: t.restoreRate, at: now() });
    if (typeof cost.requestedQueryCost === "number") {
      knownCosts.set(costKey(query, variables), cost.requestedQueryCost);
      highestCosts.set(query, Math.max(highestCosts.get(query) ?? 0, cost.requestedQueryCost));
    }
  }

  /**
   * Waits until the bucket holds this operation's requested cost, then
   * reserves it: Shopify charges the requested cost on arrival and refunds the
   * unused part with its answer, whose throttle status replaces our estimate.
   */
  async function waitForCapacity(query: string, variables: Record<string, unknown> | undefined): Promise<number> {
    const previous = turns.get(shop) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((resolve) => (release = resolve));
    const chained = previous.then(() => mine);
    turns.set(shop, chained);
    await previous;
    try {
      // Answers arriving while we sleep may report less than predicted; look again (a few times at most).
      for (let look = 0; look < 5; look++) {
        const bucket = buckets.get(shop);
        const expected = knownCosts.get(costKey(query, variables)) ?? highestCosts.get(query) ?? UNSEEN_COST;
        const cost = Math.min(expected, bucket?.maximum ?? expected);
        if (!bucket || bucket.restoreRate <= 0) return cost;
        const shortfall = cost - predictedAvailable(bucket);
        if (shortfall <= 0) {
          buckets.set(shop, { ...bucket, available: predictedAvailable(bucket) - cost, at: now() });
          return cost;
        }
        await sleep(Math.ceil((shortfall / bucket.restoreRate) * 1000));
      }
      return 0;
    } finally {
      release();
      if (turns.get(shop) === chained) turns.delete(shop);
    }
  }

  return {
    shop,
    async request<TData, TVariables extends Record<string, unknown>>(query: string, variables?: TVariables) {
      for (let attempt = 0; ; attempt++) {
        const reserved = await waitForCapacity(query, variables);
        inFlight.set(shop, (inFlight.get(shop) ?? 0) + reserved);
        let outcome: Outcome;
        try {
          outcome = await send(raw, query, variables);
        } finally {
          inFlight.set(shop, (inFlight.get(shop) ?? 0) - reserved);
        }
        remember(outcome.cost, query, variables);
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
