// Who may open which view: the navigation shows only these, the router enforces them, and the API
// enforces the same rules again server-side (the UI rule is a courtesy, the API's is the guard).
import type { Me, Role } from '../api/types.ts';

export type ViewName = 'wall' | 'analyst' | 'county' | 'submit' | 'review';

const VIEWS_BY_ROLE: Record<Role, readonly ViewName[]> = {
  leader: ['wall', 'analyst', 'county'],
  analyst: ['analyst', 'county', 'wall'],
  // A county union: its own page, and /submit to send its reports.
  county: ['county', 'submit'],
  display: ['wall'],
  admin: ['analyst', 'county', 'wall'],
  // The province's data reviewer (数据审核员): the reporting matrix only.
  reviewer: ['review'],
};

export function allowedViews(role: Role): readonly ViewName[] {
  return VIEWS_BY_ROLE[role] ?? [];
}

export function mayOpenView(user: Pick<Me, 'role'> | null, view: ViewName): boolean {
  return !!user && allowedViews(user.role).includes(view);
}

/** A view's path for this user (a county user's county page names its county). */
export function viewPath(user: Pick<Me, 'role' | 'county_code'>, view: ViewName): string {
  if (view === 'county' && user.role === 'county' && user.county_code) return `/county?county=${user.county_code}`;
  return `/${view}`;
}

/**
 * Where a user lands after login: a county union on its own county, a wall screen on the wall, a
 * reviewer on the review matrix; a role with no view (none today) on the login page, never on
 * a path that does not exist.
 */
export function homePath(user: Pick<Me, 'role' | 'county_code'>): string {
  const first = allowedViews(user.role)[0];
  return first ? viewPath(user, first) : '/login';
}

/** A county user sees only its own county; leaders, analysts and admins any county. */
export function mayOpenCounty(user: Pick<Me, 'role' | 'county_code'> | null, code: string): boolean {
  if (!user) return false;
  if (user.role === 'county') return user.county_code === code;
  return user.role !== 'display';
}

/** Exports are for analysts (the API refuses the others; the UI does not offer them). */
export function mayExport(user: Pick<Me, 'role'> | null): boolean {
  return user?.role === 'analyst';
}

/** Subscriptions and alert pushes are managed by analysts and admins (as the API's rule). */
export function mayManageSubscriptions(user: Pick<Me, 'role'> | null): boolean {
  return user?.role === 'analyst' || user?.role === 'admin';
}
