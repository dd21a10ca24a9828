// Per-request context carried through async calls, so every log line of a request names it
// without threading ids through every function.
import { AsyncLocalStorage } from 'node:async_hooks';

export interface RequestContext {
  requestId: string;
  [key: string]: string | undefined;
}

const storage = new AsyncLocalStorage<RequestContext>();

export const runWithContext = <T>(context: RequestContext, fn: () => T): T => storage.run(context, fn);
export const currentContext = (): RequestContext | undefined => storage.getStore();
