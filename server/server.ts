// Starts the API: builds the app as the environment configures it (server/config.ts), listens, prints
// where to go and how to log in. `npm run serve`; npm start runs start.ts, which also builds
// the warehouse and the cockpit when they are missing.
import { buildApp } from './app.ts';
import { banner } from './banner.ts';
import { appOptions, closeOnSignals, host, port } from './config.ts';

const app = await buildApp(appOptions);
closeOnSignals(() => app);
await app.listen({ host, port });
console.log(await banner(app));
