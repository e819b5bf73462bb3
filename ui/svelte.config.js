// Svelte 5 understands TypeScript in <script lang="ts"> itself; no preprocessor needed.
export default {};
