// One POST of JSON to a robot or webhook, with a time limit. A non-2xx answer, or a robot's own error
// code in a 200 answer (DingTalk and WeCom errcode, Feishu code), is a failed delivery naming it.
// A body given as a string is sent as it is (the webhook sends the very bytes it signed).
export async function postJson(url: string, body: unknown, headers: Record<string, string> = {}, timeoutMs = 10_000): Promise<unknown> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
    signal: AbortSignal.timeout(timeoutMs),
    redirect: 'error',
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`HTTP ${res.status}: ${text.slice(0, 200)}`);
  let answer: unknown = null;
  try {
    answer = text ? JSON.parse(text) : null;
  } catch {
    return text;
  }
  const a = answer as { errcode?: number; errmsg?: string; code?: number; msg?: string; StatusCode?: number; StatusMessage?: string } | null;
  if (a && typeof a === 'object') {
    if (typeof a.errcode === 'number' && a.errcode !== 0) throw new Error(`robot error ${a.errcode}: ${a.errmsg ?? ''}`);
    if (typeof a.code === 'number' && a.code !== 0) throw new Error(`robot error ${a.code}: ${a.msg ?? ''}`);
    if (typeof a.StatusCode === 'number' && a.StatusCode !== 0) throw new Error(`robot error ${a.StatusCode}: ${a.StatusMessage ?? ''}`);
  }
  return answer;
}
