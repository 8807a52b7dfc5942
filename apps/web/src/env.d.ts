// Element Plus ships its per-component style entries without type declarations.
declare module 'element-plus/es/components/*/style/css';
