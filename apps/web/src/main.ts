import { createApp } from 'vue';
import App from './App.vue';
import { installI18n } from './modules/i18n.ts';
import { installPinia } from './modules/pinia.ts';
import { createAppRouter } from './router/index.ts';
import { usePreferencesStore } from './stores/preferences.ts';
import './styles/theme.css';

const app = createApp(App);
installPinia(app);
const languageReady = installI18n(app);
usePreferencesStore();
const router = createAppRouter();
app.use(router);
// The remembered language (Chinese unless another was chosen) is loaded before the first paint.
void Promise.all([languageReady, router.isReady()]).then(() => app.mount('#app'));
