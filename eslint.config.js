// Lint: bans shell strings (child_process exec*, shell: true), floating promises and `any`.
import tseslint from 'typescript-eslint';

const noShell = {
  'no-restricted-imports': [
    'error',
    {
      paths: [
        { name: 'child_process', importNames: ['exec', 'execSync'], message: 'No shell strings: use execFile with an argument array.' },
        { name: 'node:child_process', importNames: ['exec', 'execSync'], message: 'No shell strings: use execFile with an argument array.' },
      ],
    },
  ],
  'no-restricted-syntax': [
    'error',
    { selector: "Property[key.name='shell'][value.value=true]", message: 'shell: true is banned: pass an argument array.' },
    { selector: "MemberExpression[property.name=/^(exec|execSync)$/][object.name=/^(child_process|childProcess|cp)$/]", message: 'No shell strings: use execFile.' },
  ],
  'no-eval': 'error',
  'no-new-func': 'error',
};

export default tseslint.config(
  { ignores: ['node_modules/**', 'data/**', '.wrangler/**', 'dist/**', 'test/fixtures/**'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      ...noShell,
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  { files: ['**/*.js', '**/*.mjs'], rules: { ...noShell } },
);
