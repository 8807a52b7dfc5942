import { createApp } from 'vue';
import App from './App.vue';
import { installI18n } from './modules/i18n.ts';
import { installPinia } from './modules/pinia.ts';
import { createAppRouter } from './router/index.ts';
import { usePreferencesStore } from './stores/preferences.ts';
import './styles/theme.css';

const app = createApp(App);
installPinia(app);
installI18n(app);
usePreferencesStore();
const router = createAppRouter();
app.use(router);
void router.isReady().then(() => app.mount('#app'));
