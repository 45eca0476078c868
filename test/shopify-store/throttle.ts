/** Shopify's leaky bucket for the GraphQL Admin API: one per app and shop, refilled continuously. */
export interface ThrottleStatus {
  maximumAvailable: number;
  currentlyAvailable: number;
  restoreRate: number;
}

export class CostBucket {
  private available: number;
  private updatedAt: number;

  constructor(
    private readonly maximum: number,
    private readonly restoreRate: number,
    private readonly now: () => number,
  ) {
    this.available = maximum;
    this.updatedAt = now();
  }

  /** Takes `cost` points if the bucket holds that many; Shopify never lets a query run on credit. */
  tryTake(cost: number): boolean {
    this.refill();
    if (cost > this.available) return false;
    this.available -= cost;
    return true;
  }

  refund(points: number): void {
    this.refill();
    this.available = Math.min(this.maximum, this.available + points);
  }

  status(): ThrottleStatus {
    this.refill();
    return { maximumAvailable: this.maximum, currentlyAvailable: Math.floor(this.available), restoreRate: this.restoreRate };
  }

  private refill(): void {
    const now = this.now();
    const elapsedSeconds = Math.max(0, now - this.updatedAt) / 1000;
    this.available = Math.min(this.maximum, this.available + elapsedSeconds * this.restoreRate);
    this.updatedAt = now;
  }
}
