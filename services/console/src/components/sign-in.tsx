// Sign in with a pasted support token, or, where the server runs in development, with a token
// the server mints (the button is shown only when the server offers it).
import { useEffect, useState } from 'preact/hooks';
import { describeProblem, devSignIn, devSignInAvailable } from '../api';

export function SignIn({ onSignIn, notice }: { onSignIn: (token: string) => void; notice: string | null }) {
  const [token, setToken] = useState('');
  const [name, setName] = useState('');
  const [dev, setDev] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    void devSignInAvailable().then(setDev);
  }, []);

  const submitToken = (e: Event) => {
    e.preventDefault();
    const value = token.trim().replace(/^Bearer\s+/i, '');
    if (value.split('.').length !== 3) {
      setError('That is not a token: a support token has three parts separated by dots.');
      return;
    }
    onSignIn(value);
  };
  const submitDev = async (e: Event) => {
    e.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      onSignIn(await devSignIn(name.trim()));
    } catch (err) {
      setError(describeProblem(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main class="sign-in">
      <h1>Support console</h1>
      {notice && (
        <p class="notice" role="status">
          {notice}
        </p>
      )}
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      <form onSubmit={submitToken} aria-labelledby="token-heading">
        <h2 id="token-heading">Sign in with a support token</h2>
        <label for="token">Support token</label>
        <textarea
          id="token"
          name="token"
          rows={4}
          required
          spellcheck={false}
          autocomplete="off"
          value={token}
          onInput={(e) => setToken(e.currentTarget.value)}
          aria-describedby="token-help"
        />
        <p id="token-help" class="help">
          A bearer token with the support role, e.g. from{' '}
          <code>npm run -s token -- --role support --sub agent-1</code>.
        </p>
        <button type="submit">Sign in</button>
      </form>
      {dev && (
        <form onSubmit={(e) => void submitDev(e)} aria-labelledby="dev-heading" class="dev">
          <h2 id="dev-heading">Development sign-in</h2>
          <p class="help">
            This server runs in development: it mints a support token for you (never in production).
          </p>
          <label for="dev-name">Your name (optional)</label>
          <input
            id="dev-name"
            name="name"
            autocomplete="username"
            pattern="[\w.\-]+"
            maxLength={60}
            value={name}
            onInput={(e) => setName(e.currentTarget.value)}
          />
          <button type="submit" disabled={busy}>
            {busy ? 'Signing in…' : 'Sign in for development'}
          </button>
        </form>
      )}
    </main>
  );
}
