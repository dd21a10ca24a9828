// A source the audit could not read: the audit cannot answer, which is not the same as a
// violation (the CLI exits 2, not 1).
export class SourceError extends Error {
  constructor(
    readonly source: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`${source}: ${message}`, options);
    this.name = 'SourceError';
  }
}

export async function reading<T>(source: string, what: string, read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (err) {
    if (err instanceof SourceError) throw err;
    throw new SourceError(
      source,
      `could not read ${what}: ${err instanceof Error ? err.message : String(err)}`,
      {
        cause: err,
      },
    );
  }
}
