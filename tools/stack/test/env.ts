// Where the stack under test listens: the test command sources the stack's env file.
export function stackVar(name: string): string {
  const value = process.env[name];
  if (!value)
    throw new Error(
      `${name} is not set: run the tests through \`npm test\`, which starts the stack and exports its addresses`,
    );
  return value;
}

export const uniqueId = (prefix: string) =>
  `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
