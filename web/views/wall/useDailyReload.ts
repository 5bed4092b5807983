// The wall's daily self-reload (?reload=03:30, off to disable). A browser left on one page for weeks
// collects whatever the page or the browser leaks; a fresh load once a day at a quiet hour clears it.
// Nothing is lost: the settings, filters and playlist are in the URL, and the rotation and playlist
// positions follow the clock (model.ts turnAt). The reload only happens once the server answers
// both the health check and the page itself, so a server that is down at 03:30 never leaves a
// browser error page on the wall: the wall keeps its last data (marked stale) and tries again.
import { onBeforeUnmount, onMounted, type Ref } from 'vue';
import { msUntilDaily, type WallConfig } from './model.ts';

/** How often the due reload checks the server again while it does not answer. */
export const RELOAD_RETRY_MS = 30_000;

async function serverAnswers(): Promise<boolean> {
  try {
    const [health, page] = await Promise.all([
      fetch('/api/health', { cache: 'no-store' }),
      fetch(window.location.href, { cache: 'no-store', headers: { accept: 'text/html' } }),
    ]);
    return health.ok && page.ok && (page.headers.get('content-type') ?? '').includes('text/html');
  } catch {
    return false;
  }
}

export function useDailyReload(config: Ref<WallConfig>, reload: () => void = () => window.location.reload()): void {
  let timer: number | undefined;
  let stopped = false;

  async function attempt() {
    if (stopped) return;
    if (await serverAnswers()) {
      if (!stopped) reload();
      return;
    }
    timer = window.setTimeout(attempt, Math.max(50, RELOAD_RETRY_MS / config.value.speed));
  }

  onMounted(() => {
    const at = config.value.reloadAt;
    if (!at) return;
    // One timer for the day (under 24 h, well inside setTimeout's range); a screen that slept
    // past the hour reloads when it wakes, as the timer then fires late.
    timer = window.setTimeout(attempt, msUntilDaily(new Date(), at));
  });
  onBeforeUnmount(() => {
    stopped = true;
    clearTimeout(timer);
  });
}
