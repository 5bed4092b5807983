// Who may open which view: the navigation shows only these, the router enforces them, and the API
// enforces the same rules again server-side (the UI rule is a courtesy, the API's is the guard).
import type { Me, Role } from '../api/types.ts';

export type ViewName = 'wall' | 'analyst' | 'county';

const VIEWS_BY_ROLE: Record<Role, readonly ViewName[]> = {
  leader: ['wall', 'analyst', 'county'],
  analyst: ['analyst', 'county', 'wall'],
  county: ['county'],
  display: ['wall'],
  admin: ['analyst', 'county', 'wall'],
  // The reviewer's page (/review) comes with the reporting pages; until then no view.
  reviewer: [],
};

export function allowedViews(role: Role): readonly ViewName[] {
  return VIEWS_BY_ROLE[role] ?? [];
}

export function mayOpenView(user: Pick<Me, 'role'> | null, view: ViewName): boolean {
  return !!user && allowedViews(user.role).includes(view);
}

/** Where a user lands after login: a county union on its own county, a wall screen on the wall. */
export function homePath(user: Pick<Me, 'role' | 'county_code'>): string {
  if (user.role === 'county') return user.county_code ? `/county?county=${user.county_code}` : '/county';
  return `/${allowedViews(user.role)[0]}`;
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
