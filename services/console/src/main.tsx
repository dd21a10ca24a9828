// The support console: sign in, the order list, one order with its saga timeline and the
// support actions. Hash routes (#/ and #/orders/<id>) keep it one static page the order service
// serves as is, with working back/forward and links that can be shared.
import { render } from 'preact';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { createApi, type Problem } from './api';
import { OrderList } from './components/order-list';
import { OrderPage } from './components/order-page';
import { SignIn } from './components/sign-in';
import './styles.css';

const TOKEN_KEY = 'order-console.token';

function useHash(): string {
  const [hash, setHash] = useState(location.hash);
  useEffect(() => {
    const onChange = () => setHash(location.hash);
    addEventListener('hashchange', onChange);
    return () => removeEventListener('hashchange', onChange);
  }, []);
  return hash;
}

/** The `sub` and expiry of a JWT, for the header; the server verifies it, this only displays it. */
function claimsOf(token: string): { sub?: string; exp?: number } {
  try {
    const payload = token.split('.')[1] ?? '';
    return JSON.parse(atob(payload.replace(/-/g, '+').replace(/_/g, '/'))) as { sub?: string; exp?: number };
  } catch {
    return {};
  }
}

function App() {
  const [token, setToken] = useState<string | null>(() => sessionStorage.getItem(TOKEN_KEY));
  const [notice, setNotice] = useState<string | null>(null);
  const hash = useHash();

  const signIn = (value: string) => {
    sessionStorage.setItem(TOKEN_KEY, value);
    setNotice(null);
    setToken(value);
  };
  const signOut = (why?: string) => {
    sessionStorage.removeItem(TOKEN_KEY);
    setNotice(why ?? null);
    setToken(null);
  };
  const api = useMemo(
    () =>
      token
        ? createApi(token, (problem: Problem) =>
            signOut(
              `Signed out: ${problem.detail ?? 'the API no longer accepts this token'}. Sign in again.`,
            ),
          )
        : null,
    [token],
  );

  if (!token || !api) return <SignIn onSignIn={signIn} notice={notice} />;
  const claims = claimsOf(token);
  const orderMatch = /^#\/orders\/([0-9a-fA-F-]{36})/.exec(hash);
  const listQuery = hash.startsWith('#/?') ? hash.slice(3) : '';

  return (
    <>
      <header class="top">
        <a class="brand" href="#/">
          Support console
        </a>
        <span class="who">
          Signed in as <strong>{claims.sub ?? 'support'}</strong>
          {claims.exp ? ` · until ${new Date(claims.exp * 1000).toLocaleTimeString()}` : ''}
        </span>
        <button type="button" class="link" onClick={() => signOut('Signed out.')}>
          Sign out
        </button>
      </header>
      <main>
        {orderMatch?.[1] ? (
          <OrderPage key={orderMatch[1]} api={api} orderId={orderMatch[1].toLowerCase()} />
        ) : (
          <OrderList api={api} query={listQuery} />
        )}
      </main>
    </>
  );
}

const root = document.getElementById('app');
if (root) render(<App />, root);
