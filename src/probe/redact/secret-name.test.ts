import { describe, expect, it } from 'vitest';
import { isSecretName, nameParts } from './secret-name.ts';

describe('nameParts', () => {
  it('splits on separators and camelCase boundaries, lower-cased', () => {
    expect(nameParts('--wandb-api-key')).toEqual(['wandb', 'api', 'key']);
    expect(nameParts('NotebookApp.token')).toEqual(['notebook', 'app', 'token']);
    expect(nameParts('keyStorePassword')).toEqual(['key', 'store', 'password']);
    expect(nameParts('APIKey')).toEqual(['api', 'key']);
    expect(nameParts('AWS_SECRET_ACCESS_KEY')).toEqual(['aws', 'secret', 'access', 'key']);
    expect(nameParts('Djavax.net.ssl.trustStorePassword')).toEqual(['djavax', 'net', 'ssl', 'trust', 'store', 'password']);
    expect(nameParts('---')).toEqual([]);
  });
});

describe('isSecretName', () => {
  it.each([
    '--wandb-api-key', '--hf_token', 'AWS_SECRET_ACCESS_KEY', '--db-password', '--auth', 'PGPASSWORD', 'MYTOKEN',
    '--NotebookApp.token', '--ServerApp.password', '--pwd', 'DB_PWD', '--api_key', '--apiKey', '--apikey', '--API-KEY',
    'HUGGING_FACE_HUB_TOKEN', 'WANDB_API_KEY', '--client-secret', '--credentials', 'GOOGLE_APPLICATION_CREDENTIALS',
    '--key', '--ssh-key', 'OPENAIAPIKEY', '--passphrase', 'PASSWORDFILE', '--authorization', '--auth-token',
    '-Djavax.net.ssl.keyStorePassword', 'mlflow.tracking.password', '--password-file', '--api-key-id',
    'MLFLOW_TRACKING_TOKEN', '--secret-key', '--client-secret-value',
  ])('%s names a secret', (name) => {
    expect(isSecretName(name)).toBe(true);
  });

  it.each([
    '--monkey', '--keyframes', '--keyframe-interval', '--max-tokens', '--max_new_tokens', '--tokenizer', '--tokenizer-name',
    '--hotkey', '--author', '--authors', '--secretary', '--no-token', '--no-auth', '--disable-password', '--batch-size',
    '--lr', 'CUDA_VISIBLE_DEVICES', '--key-dim', 'model.key_dim', '--token-budget', '--auth-type', '--token-file', 'PYTHONPATH', '--passes', '--bypass', '--compass', '--keys-only', 'OLDPWD', '--',
  ])('%s does not', (name) => {
    expect(isSecretName(name)).toBe(false);
  });
});
