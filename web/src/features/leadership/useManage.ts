import { createContext, useContext } from 'react';
import { useSession } from '../../session';

/** True inside the printable district report: panels show figures only, no forms or buttons. */
export const ReportMode = createContext(false);

/** Whether to show the district administrator's forms: never in the printed report. */
export function useManage(): boolean {
  const { me } = useSession();
  const report = useContext(ReportMode);
  return !report && (me?.roles.some((r) => r.role === 'district_admin' && r.schoolId === null) ?? false);
}
