/**
 * The staff session: the bearer token in memory and in sessionStorage (so a reload keeps the login, closing the tab
 * ends it), the API wrapper bound to it, and the way back to the login page on a 401.
 */
import { createContext, useCallback, useContext, useMemo, useRef, useState, type ReactNode } from 'react';
import { useNavigate } from 'react-router';
import { createApi, type Api } from '../../api/client.js';
import { useI18n } from '../../i18n.js';

const TOKEN_KEY = 'weidai.staff.token';

function readToken(): string | undefined {
  try {
    return sessionStorage.getItem(TOKEN_KEY) ?? undefined;
  } catch {
    return undefined;
  }
}

function writeToken(token: string | undefined) {
  try {
    if (token) sessionStorage.setItem(TOKEN_KEY, token);
    else sessionStorage.removeItem(TOKEN_KEY);
  } catch {
    // In memory only.
  }
}

interface Auth {
  api: Api;
  token: string | undefined;
  signIn(token: string): void;
  /** Forgets the token locally (after logout or a 401) and goes to the login page. */
  signOut(): void;
}

const AuthContext = createContext<Auth | null>(null);

export function AuthProvider({ children }: { children: ReactNode }) {
  const { lang } = useI18n();
  const navigate = useNavigate();
  const [token, setToken] = useState(readToken);
  // The API wrapper reads these at request time, so it is made once.
  const current = useRef({ token, lang });
  current.current = { token, lang };

  const signOut = useCallback(() => {
    writeToken(undefined);
    current.current.token = undefined;
    setToken(undefined);
    navigate('/login', { replace: true });
  }, [navigate]);
  const signOutRef = useRef(signOut);
  signOutRef.current = signOut;

  const api = useMemo(
    () =>
      createApi({
        token: () => current.current.token,
        lang: () => current.current.lang,
        onUnauthorized: () => signOutRef.current(),
      }),
    [],
  );
  const signIn = useCallback((t: string) => {
    writeToken(t);
    current.current.token = t;
    setToken(t);
  }, []);

  const value = useMemo(() => ({ api, token, signIn, signOut }), [api, token, signIn, signOut]);
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): Auth {
  const v = useContext(AuthContext);
  if (!v) throw new Error('useAuth outside AuthProvider');
  return v;
}
