import { createPinia } from 'pinia';
import { createApp } from 'vue';
import App from './App.vue';
import { applyLocale, makeI18n } from './i18n/index.ts';
import { makeRouter } from './router/index.ts';
import './styles/base.css';

const i18n = makeI18n();
applyLocale(i18n.global.locale.value as 'zh-CN' | 'en');

createApp(App).use(createPinia()).use(makeRouter()).use(i18n).mount('#app');
