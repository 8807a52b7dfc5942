/**
 * Element Plus's service APIs (called from script, never written in a template), with their CSS.
 * Components and the v-loading directive are imported, styles and all, by the Vite resolver
 * (`elementPlusComponents()` in vite.config.ts) from the templates that use them; a service has no
 * template tag, so its styles are imported here, once. Import ElMessage and ElMessageBox from here.
 */
import 'element-plus/es/components/message/style/css';
import 'element-plus/es/components/message-box/style/css';

export { ElMessage, ElMessageBox } from 'element-plus';
