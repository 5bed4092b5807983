// V8's explicit compile hints for the chunks a wall's cold load runs at once. A script that starts
// with the magic comment `//# allFunctionsCalledOnLoad` has all its functions compiled eagerly, on a
// background thread while it streams in, instead of one by one on the main thread at their first
// call (Chrome 136+; other browsers ignore the comment). ECharts' first draw calls most of its chunk.
import type { Plugin } from 'vite';

export const COMPILE_HINT = '//# allFunctionsCalledOnLoad';

export function compileHints(chunkNames: readonly string[]): Plugin {
  return {
    name: 'union-cockpit:compile-hints',
    apply: 'build',
    enforce: 'post',
    generateBundle(_options, bundle) {
      for (const file of Object.values(bundle)) {
        if (file.type === 'chunk' && chunkNames.includes(file.name)) file.code = `${COMPILE_HINT}\n${file.code}`;
      }
    },
  };
}
