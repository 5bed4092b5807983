import { createPinia } from 'pinia';
import { createApp } from 'vue';
import App from './App.vue';
import { applyLocale, initialLocale, makeI18n } from './i18n/index.ts';
import { makeRouter } from './router/index.ts';
import './styles/base.css';

const i18n = makeI18n();
const app = createApp(App).use(createPinia()).use(makeRouter()).use(i18n);
// An English page waits for its messages (one small chunk) rather than flashing Chinese first; a
// Chinese one mounts at once (no top-level await: it would split the entry into many small chunks).
const locale = initialLocale();
const mount = () => {
  applyLocale(i18n.global.locale.value);
  app.mount('#app');
};
if (locale === 'zh-CN') mount();
else void i18n.global.setLocale(locale).finally(mount);
