import { useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, type ReactNode, useContext, useEffect, useState } from 'react';
import { ApiError, api, type Me, setCsrfToken } from './api';

type Session = {
  me: Me | null;
  loading: boolean;
  /** The school chosen in the header switcher, or null for all the person's schools. */
  schoolId: string | null;
  setSchoolId(id: string | null): void;
  refresh(): Promise<void>;
  signedIn(me: Me): void;
};

const SessionContext = createContext<Session | null>(null);

/** Holds who is signed in (from GET /api/v1/me) and the school switcher's choice. */
export function SessionProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const [schoolId, setSchoolId] = useState<string | null>(() => sessionStorage.getItem('haven.school'));
  const query = useQuery({
    queryKey: ['me'],
    queryFn: async () => {
      try {
        return await api<Me>('GET', '/api/v1/me');
      } catch (error) {
        if (error instanceof ApiError && error.status === 401) return null;
        throw error;
      }
    },
    staleTime: 60_000,
  });
  const me = query.data ?? null;
  useEffect(() => setCsrfToken(me?.csrfToken ?? null), [me]);
  const validSchool = schoolId && me?.schools.some((s) => s.id === schoolId) ? schoolId : null;
  const value: Session = {
    me,
    loading: query.isLoading,
    schoolId: validSchool,
    setSchoolId(id) {
      setSchoolId(id);
      if (id) sessionStorage.setItem('haven.school', id);
      else sessionStorage.removeItem('haven.school');
    },
    async refresh() {
      await queryClient.invalidateQueries();
    },
    signedIn(next) {
      setCsrfToken(next.csrfToken);
      queryClient.setQueryData(['me'], next);
    },
  };
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside SessionProvider');
  return session;
}
