// Reads something now and again every `intervalMs` while `active`; pauses while the tab is
// hidden, so an idle console costs the API nothing.
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { describeProblem } from '../api';

export function usePolling<T>(read: () => Promise<T>, intervalMs: number, active: boolean, deps: unknown[]) {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const generation = useRef(0);

  const refresh = useCallback(async () => {
    const mine = ++generation.current;
    try {
      const value = await read();
      // An answer to an older request (filters changed since) must not overwrite a newer one.
      if (mine !== generation.current) return;
      setData(value);
      setError(null);
    } catch (err) {
      if (mine === generation.current) setError(describeProblem(err));
    } finally {
      if (mine === generation.current) setLoading(false);
    }
  }, deps);

  useEffect(() => {
    setLoading(true);
    void refresh();
  }, [refresh]);

  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => {
      if (!document.hidden) void refresh();
    }, intervalMs);
    return () => clearInterval(timer);
  }, [refresh, active, intervalMs]);

  return { data, error, loading, refresh };
}
