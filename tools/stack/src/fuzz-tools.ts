// schemathesis (PyPI), the OpenAPI fuzzer the test suite runs against the order service.
import { ensurePythonTool } from './python-tools';

export const SCHEMATHESIS_VERSION = '4.32.5';

export async function ensureSchemathesis(cacheDir: string): Promise<string> {
  return ensurePythonTool(cacheDir, { name: 'schemathesis', version: SCHEMATHESIS_VERSION, command: 'st' });
}
