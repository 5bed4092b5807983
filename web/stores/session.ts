// Who is using the cockpit: restored from the session cookie (GET /api/auth/me) or the wall's display
// token, changed by login and logout.
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import { ApiRequestError, apiGet, apiPost, setDisplayToken } from '../api/client.ts';
import { api } from '../api/endpoints.ts';
import type { Me } from '../api/types.ts';
import { allowedViews, homePath } from '../router/access.ts';

export const useSessionStore = defineStore('session', () => {
  const user = ref<Me | null>(null);
  /** true once we asked the server who we are (whatever it said) */
  const checked = ref(false);
  const token = ref<string | null>(null);

  const views = computed(() => (user.value ? allowedViews(user.value.role) : []));
  const home = computed(() => (user.value ? homePath(user.value) : '/login'));

  function useToken(t: string | null) {
    token.value = t;
    setDisplayToken(t);
  }

  /** Ask the server who we are; a network failure leaves the previous answer in place. */
  async function restore(): Promise<Me | null> {
    try {
      const res = await apiGet(api.me());
      if (!res.notModified) user.value = res.data.user;
    } catch (e) {
      if (e instanceof ApiRequestError && (e.kind === 'unauthenticated' || e.kind === 'forbidden')) user.value = null;
      else if (!checked.value) throw e;
    } finally {
      checked.value = true;
    }
    return user.value;
  }

  async function login(username: string, password: string): Promise<Me> {
    useToken(null);
    const res = await apiPost<{ user: Me }>('/api/auth/login', { username, password });
    user.value = res.user;
    checked.value = true;
    return res.user;
  }

  async function logout(): Promise<void> {
    try {
      if (user.value?.via === 'session') await apiPost('/api/auth/logout', undefined);
    } finally {
      user.value = null;
      useToken(null);
    }
  }

  return { user, checked, token, views, home, useToken, restore, login, logout };
});
