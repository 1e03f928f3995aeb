// Builds the simulator's Lightning pages from Salesforce's own base components (npm
// `lightning-base-components` on `lwc`) into two scripts:
// - dist/pages.js: the LWC engine, the base components and the Setup pages of
//   src/modules/setup, mounted by src/pages.js;
// - dist/synthetic-shadow.js: the `@lwc/synthetic-shadow` polyfill alone. A page that
//   loads it before pages.js renders into synthetic shadow roots, as Lightning Experience
//   does; a page without it renders into native shadow roots.
import lwc from '@lwc/rollup-plugin';
import replace from '@rollup/plugin-replace';

const production = replace({ preventAssignment: true, values: { 'process.env.NODE_ENV': JSON.stringify('production'), 'import.meta.env.SSR': 'false' } });

function onwarn(warning, warn) {
  if (warning.code === 'CIRCULAR_DEPENDENCY' || warning.code === 'THIS_IS_UNDEFINED') return;
  // The base components' own template warnings are theirs to fix, not ours.
  if (warning.plugin === 'rollup-plugin-lwc-compiler' && String(warning.id || '').includes('lightning-base-components')) return;
  warn(warning);
}

export default [
  {
    input: 'src/synthetic-shadow.js',
    output: { file: 'dist/synthetic-shadow.js', format: 'iife' },
    plugins: [production, lwc({ rootDir: 'src', modules: [] })],
    onwarn,
  },
  {
    input: 'src/pages.js',
    output: { file: 'dist/pages.js', format: 'iife', inlineDynamicImports: true },
    plugins: [production, lwc({ rootDir: 'src', enableSyntheticElementInternals: true, enableDynamicComponents: true, modules: [{ dir: 'modules' }, { npm: 'lightning-base-components' }] })],
    onwarn,
  },
];
