// Routes and the guard: ask the server who we are once, send people where their role belongs.
// The wall URL carries a display token (?token=), kept in the URL so a reload still works.
import { createRouter, createWebHistory, type RouteLocationNormalized } from 'vue-router';
import { api } from '../api/endpoints.ts';
import { fetchGeo } from '../charts/geo-data.ts';
import { useDataStore } from '../stores/data.ts';
import { useSessionStore } from '../stores/session.ts';
import { readFirstPictures } from '../views/wall/firstPictures.ts';
import { wallEndpoint } from '../views/wall/wallEndpoint.ts';
import { mayOpenView, type ViewName } from './access.ts';

declare module 'vue-router' {
  interface RouteMeta {
    view?: ViewName;
    /** no navigation bar (the wall, the login page) */
    bare?: boolean;
  }
}

const wallView = () => import('../views/wall/WallView.vue');

/**
 * How long a wall's cold load waits at most for its first data before it renders: all of it was asked
 * for with the login check, so it is usually there by then; a slow answer only costs the panels a
 * second render.
 */
const FIRST_RENDER_WAIT_MS = 1000;

export function makeRouter() {
  const router = createRouter({
    history: createWebHistory(),
    routes: [
      { path: '/login', name: 'login', component: () => import('../views/login/LoginView.vue'), meta: { bare: true } },
      { path: '/wall', name: 'wall', component: wallView, meta: { view: 'wall', bare: true } },
      { path: '/analyst', name: 'analyst', component: () => import('../views/analyst/AnalystView.vue'), meta: { view: 'analyst' } },
      { path: '/analyst/subscriptions', name: 'subscriptions', component: () => import('../views/analyst/subscriptions/SubscriptionsView.vue'), meta: { view: 'analyst' } },
      { path: '/county', name: 'county', component: () => import('../views/county/CountyView.vue'), meta: { view: 'county' } },
      { path: '/submit', name: 'submit', component: () => import('../views/submit/SubmitView.vue'), meta: { view: 'submit' } },
      { path: '/review', name: 'review', component: () => import('../views/review/ReviewView.vue'), meta: { view: 'review' } },
      { path: '/:rest(.*)*', name: 'home', component: { render: () => null } },
    ],
  });

  router.beforeEach(async (to: RouteLocationNormalized) => {
    const session = useSessionStore();
    const token = typeof to.query.token === 'string' ? to.query.token : null;
    if (token && token !== session.token) {
      session.useToken(token);
      session.checked = false;
    }
    // A wall screen's cold load: its code, its data and both maps all start now, beside the login
    // check, not one after another (index.html's wall-preload script has already asked for the code,
    // the maps and, with a token, these first API answers and pictures: these requests take its
    // responses, api/early.ts). The data only with a display token: anyone
    // else is asked who they are first (a county user is sent elsewhere). The view's first read of
    // the data is these requests, not a second round.
    let firstData: Promise<unknown> | null = null;
    if (to.path === '/wall' || (to.path === '/' && token)) {
      void fetchGeo('county').catch(() => undefined);
      void fetchGeo('city').catch(() => undefined);
      void wallView().catch(() => undefined);
      if (token) {
        const data = useDataStore();
        // The view renders once, with its data and the server's pictures (firstPictures.ts), not
        // once empty and again as each arrives.
        firstData = Promise.all([data.prefetch(wallEndpoint(to.query)), data.prefetch(api.reportingTotals()), readFirstPictures(token)]);
      }
    }
    if (!session.checked) {
      try {
        await session.restore();
      } catch {
        // The API is unreachable: the login page says so.
        if (to.name !== 'login') return { name: 'login', query: { unreachable: '1' } };
        return true;
      }
    }
    const user = session.user;
    if (to.name === 'login') return user && !to.query.unreachable ? session.home : true;
    if (!user) return { name: 'login', query: to.fullPath !== '/' ? { next: to.fullPath } : {} };
    if (to.name === 'home') {
      // A wall screen opened at /?token=...&refresh=... keeps its token and settings on /wall.
      if (token) return { path: '/wall', query: to.query };
      return session.home;
    }
    if (to.meta.view && !mayOpenView(user, to.meta.view)) return session.home;
    if (firstData && to.name === 'wall') await Promise.race([firstData, new Promise((resolve) => setTimeout(resolve, FIRST_RENDER_WAIT_MS))]);
    return true;
  });

  return router;
}
