// The app-wide things every route group reads: settings, storage and the study registry.
// Wrapped with fastify-plugin so they are visible in every encapsulated route group.

import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../config.js';
import type { ScreeningStudy } from '../screening/study-registry.js';
import type { Store } from '../storage/store.js';

declare module 'fastify' {
  interface FastifyInstance {
    config: Config;
    store: Store;
    studies: ReadonlyMap<string, ScreeningStudy>;
    /** When this instance was built: the CapabilityStatement's date. */
    startedAt: Date;
  }
}

export interface SharedDecoratorOptions {
  config: Config;
  store: Store;
  studies: ReadonlyMap<string, ScreeningStudy>;
}

async function sharedDecorators(app: FastifyInstance, options: SharedDecoratorOptions): Promise<void> {
  app.decorate('config', options.config);
  app.decorate('store', options.store);
  app.decorate('studies', options.studies);
  app.decorate('startedAt', new Date());
}

export default fp(sharedDecorators, { fastify: '5.x', name: 'shared-decorators' });
