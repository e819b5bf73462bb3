import { describe, expect, it } from 'vitest';
import { secretByDefault } from './headers';

describe('secretByDefault', () => {
  it('marks credential headers secret and leaves the others plain', () => {
    for (const name of ['Authorization', 'Proxy-Authorization', 'api-key', 'X-API-Key', 'x-goog-api-key', 'Cookie', 'X-Auth-Token', 'client_secret'])
      expect(secretByDefault(name), name).toBe(true);
    for (const name of ['HTTP-Referer', 'X-Title', 'OpenAI-Organization', ''])
      expect(secretByDefault(name), name).toBe(false);
  });
});
