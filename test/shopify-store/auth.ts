/**
 * Shopify's side of embedded-app auth: the session tokens App Bridge hands the app
 * (HS256 JWTs signed with the app secret) and the OAuth token endpoint that trades
 * one for an access token (token exchange) or renews an expiring one (refresh_token).
 */
import { createHmac, randomBytes, randomUUID, timingSafeEqual } from "node:crypto";
import * as jose from "jose";

export const GRANT_TOKEN_EXCHANGE = "urn:ietf:params:oauth:grant-type:token-exchange";
export const ID_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:id_token";
export const OFFLINE_TOKEN_TYPE = "urn:shopify:params:oauth:token-type:offline-access-token";
export const ONLINE_TOKEN_TYPE = "urn:shopify:params:oauth:token-type:online-access-token";

const ONLINE_TOKEN_SECONDS = 86_399;
const EXPIRING_OFFLINE_TOKEN_SECONDS = 3_600;
const REFRESH_TOKEN_SECONDS = 7_776_000;
/** shopify-api accepts tokens up to 10 s past expiry; Shopify's endpoint does the same. */
const CLOCK_TOLERANCE_SECONDS = 10;

export interface AppCredentials {
  apiKey: string;
  apiSecret: string;
  scopes: string;
}

export interface SessionTokenOptions {
  expiresInSeconds?: number;
  secret?: string;
  userId?: string;
  audience?: string;
}

export function mintSessionToken(app: AppCredentials, shop: string, nowMs: number, opts: SessionTokenOptions = {}): string {
  const now = Math.floor(nowMs / 1000);
  const claims = {
    iss: `https://${shop}/admin`,
    dest: `https://${shop}`,
    aud: opts.audience ?? app.apiKey,
    sub: opts.userId ?? "1",
    exp: now + (opts.expiresInSeconds ?? 60),
    nbf: now,
    iat: now,
    jti: randomUUID(),
    sid: createHmac("sha256", "sid").update(`${shop}:${opts.userId ?? "1"}`).digest("hex").slice(0, 32),
  };
  // Signed by hand because jose only signs asynchronously and callers want the token inline.
  const encode = (part: object) => Buffer.from(JSON.stringify(part)).toString("base64url");
  const signingInput = `${encode({ alg: "HS256", typ: "JWT" })}.${encode(claims)}`;
  const signature = createHmac("sha256", opts.secret ?? app.apiSecret).update(signingInput).digest("base64url");
  return `${signingInput}.${signature}`;
}

export interface IssuedToken {
  shop: string;
  online: boolean;
  userId?: string;
  /** ms since epoch; undefined for non-expiring offline tokens. */
  expiresAt?: number;
}

export interface OAuthError {
  status: number;
  body: { error: string; error_description: string };
}

interface RefreshGrant {
  shop: string;
  expiresAt: number;
}

/** Access tokens per shop, as issued by the token endpoint. */
export class TokenIssuer {
  private readonly tokens = new Map<string, IssuedToken>();
  private readonly refreshTokens = new Map<string, RefreshGrant>();

  constructor(
    private readonly app: AppCredentials,
    private readonly now: () => number,
  ) {}

  lookup(accessToken: string | undefined, shop: string): IssuedToken | undefined {
    if (!accessToken) return undefined;
    const issued = this.tokens.get(accessToken);
    if (!issued || issued.shop !== shop) return undefined;
    if (issued.expiresAt !== undefined && issued.expiresAt <= this.now()) return undefined;
    return issued;
  }

  tokensFor(shop: string): string[] {
    return [...this.tokens].filter(([, issued]) => issued.shop === shop).map(([token]) => token);
  }

  /** Handles POST /admin/oauth/access_token for `shop`; answers what Shopify would, status and body. */
  async handleTokenRequest(shop: string, params: Record<string, string>): Promise<{ status: number; body: object }> {
    if (params.client_id !== this.app.apiKey || !sameSecret(params.client_secret ?? "", this.app.apiSecret)) {
      return oauthError(401, "invalid_client", "Client credentials are invalid.");
    }
    if (params.grant_type === "refresh_token") return this.refresh(shop, params.refresh_token);
    if (params.grant_type !== GRANT_TOKEN_EXCHANGE) {
      return oauthError(400, "unsupported_grant_type", `The grant type '${params.grant_type ?? ""}' is not supported.`);
    }
    if (params.subject_token_type !== ID_TOKEN_TYPE) {
      return oauthError(400, "invalid_request", "The subject_token_type must be urn:ietf:params:oauth:token-type:id_token.");
    }
    const requested = params.requested_token_type ?? OFFLINE_TOKEN_TYPE;
    if (requested !== OFFLINE_TOKEN_TYPE && requested !== ONLINE_TOKEN_TYPE) {
      return oauthError(400, "invalid_request", `The requested_token_type '${requested}' is not supported.`);
    }
    const subject = await this.verifySubjectToken(shop, params.subject_token ?? "");
    if ("error" in subject) return subject.error;

    return { status: 200, body: this.issue(shop, requested === ONLINE_TOKEN_TYPE, subject.userId, params.expiring === "1") };
  }

  private async verifySubjectToken(shop: string, token: string): Promise<{ userId: string } | { error: OAuthError }> {
    let payload: jose.JWTPayload;
    try {
      ({ payload } = await jose.jwtVerify(token, new TextEncoder().encode(this.app.apiSecret), {
        algorithms: ["HS256"],
        audience: this.app.apiKey,
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
        currentDate: new Date(this.now()),
      }));
    } catch (error) {
      return { error: oauthError(400, "invalid_subject_token", `Invalid subject token: ${(error as Error).message}`) };
    }
    if (payload.dest !== `https://${shop}`) {
      return { error: oauthError(400, "invalid_subject_token", `The subject token was not issued for ${shop}.`) };
    }
    return { userId: String(payload.sub ?? "") };
  }

  private issue(shop: string, online: boolean, userId: string, expiring: boolean): object {
    const accessToken = `${online ? "shpua" : "shpat"}_${randomBytes(16).toString("hex")}`;
    const nowMs = this.now();
    if (online) {
      this.tokens.set(accessToken, { shop, online, userId, expiresAt: nowMs + ONLINE_TOKEN_SECONDS * 1000 });
      return {
        access_token: accessToken,
        scope: this.app.scopes,
        expires_in: ONLINE_TOKEN_SECONDS,
        associated_user_scope: this.app.scopes,
        session: randomBytes(16).toString("hex"),
        account_number: 0,
        associated_user: {
          id: Number(userId) || 1,
          first_name: "Local",
          last_name: "Merchant",
          email: `merchant+${userId}@example.com`,
          account_owner: true,
          locale: "en",
          collaborator: false,
          email_verified: true,
        },
      };
    }
    if (!expiring) {
      this.tokens.set(accessToken, { shop, online });
      return { access_token: accessToken, scope: this.app.scopes };
    }
    const refreshToken = `shprt_${randomBytes(16).toString("hex")}`;
    this.tokens.set(accessToken, { shop, online, expiresAt: nowMs + EXPIRING_OFFLINE_TOKEN_SECONDS * 1000 });
    this.refreshTokens.set(refreshToken, { shop, expiresAt: nowMs + REFRESH_TOKEN_SECONDS * 1000 });
    return {
      access_token: accessToken,
      scope: this.app.scopes,
      expires_in: EXPIRING_OFFLINE_TOKEN_SECONDS,
      refresh_token: refreshToken,
      refresh_token_expires_in: REFRESH_TOKEN_SECONDS,
    };
  }

  private refresh(shop: string, refreshToken: string | undefined): { status: number; body: object } {
    const grant = refreshToken ? this.refreshTokens.get(refreshToken) : undefined;
    if (!grant || grant.shop !== shop || grant.expiresAt <= this.now()) {
      return oauthError(400, "invalid_grant", "The refresh token is invalid or expired.");
    }
    this.refreshTokens.delete(refreshToken!);
    return { status: 200, body: this.issue(shop, false, "", true) };
  }
}

function oauthError(status: number, error: string, description: string): OAuthError {
  return { status, body: { error, error_description: description } };
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
