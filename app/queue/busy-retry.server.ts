/**
 * SQLite in WAL mode answers SQLITE_BUSY at once, without waiting out
 * busy_timeout, when a write finds its read snapshot already stale (another
 * process wrote in between). Prisma reports that as P1008. The statement had
 * no effect, so running it again is safe and is what waiting would have done.
 */
const BUSY = "P1008";

export async function retryWhenBusy<T>(operation: () => Promise<T>, tries = 20): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await operation();
    } catch (error) {
      if ((error as { code?: string }).code !== BUSY || attempt >= tries) throw error;
      await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 20 * attempt));
    }
  }
}
