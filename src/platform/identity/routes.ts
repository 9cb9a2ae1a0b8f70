/** Thin HTTP shell of identity: validate, take the actor, call one service function, reply. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../http/auth.js';
import type { IdentityService } from './service.js';
import {
  BranchCreateBody,
  BranchDto,
  LoginBody,
  MeDto,
  PasswordChangeBody,
  TokenResponse,
  UserCreateBody,
  UserDto,
  UserUpdateBody,
} from './schemas.js';

const IdParams = z.object({ id: z.string().min(1).max(64) });

export const loginRoutes: FastifyPluginAsyncZod<{ identity: IdentityService }> = async (
  app,
  { identity },
) => {
  app.post(
    '/auth/login',
    {
      schema: {
        tags: ['auth'],
        summary: 'Log in with username and password',
        body: LoginBody,
        response: { 200: TokenResponse },
      },
    },
    async (req) => identity.login(req.body.username, req.body.password, { ip: req.ip }),
  );
};

export const identityRoutes: FastifyPluginAsyncZod<{ identity: IdentityService }> = async (
  app,
  { identity },
) => {
  app.post(
    '/auth/logout',
    { schema: { tags: ['auth'], response: { 204: z.null() } } },
    async (req, reply) => {
      await identity.logout(actorOf(req));
      return reply.status(204).send(null);
    },
  );
  app.get('/me', { schema: { tags: ['auth'], response: { 200: MeDto } } }, async (req) =>
    identity.me(actorOf(req)),
  );
  app.post(
    '/me/password',
    { schema: { tags: ['auth'], body: PasswordChangeBody, response: { 204: z.null() } } },
    async (req, reply) => {
      await identity.changePassword(actorOf(req), req.body.current_password, req.body.new_password);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/branches',
    { schema: { tags: ['identity'], response: { 200: z.array(BranchDto) } } },
    async (req) => identity.listBranches(actorOf(req)),
  );
  app.get(
    '/branches/:id',
    { schema: { tags: ['identity'], params: IdParams, response: { 200: BranchDto } } },
    async (req) => identity.getBranch(actorOf(req), req.params.id),
  );
  app.post(
    '/branches',
    { schema: { tags: ['identity'], body: BranchCreateBody, response: { 201: BranchDto } } },
    async (req, reply) => reply.status(201).send(await identity.createBranch(actorOf(req), req.body)),
  );

  app.get('/users', { schema: { tags: ['identity'], response: { 200: z.array(UserDto) } } }, async (req) =>
    identity.listUsers(actorOf(req)),
  );
  app.get(
    '/users/:id',
    { schema: { tags: ['identity'], params: IdParams, response: { 200: UserDto } } },
    async (req) => identity.getUser(actorOf(req), req.params.id),
  );
  app.post(
    '/users',
    { schema: { tags: ['identity'], body: UserCreateBody, response: { 201: UserDto } } },
    async (req, reply) => reply.status(201).send(await identity.createUser(actorOf(req), req.body)),
  );
  app.patch(
    '/users/:id',
    { schema: { tags: ['identity'], params: IdParams, body: UserUpdateBody, response: { 200: UserDto } } },
    async (req) => identity.updateUser(actorOf(req), req.params.id, req.body),
  );
};
