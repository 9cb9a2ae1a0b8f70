import { z } from 'zod';
import { ROLES } from './permissions.js';

export const LoginBody = z.strictObject({
  username: z.string().trim().min(1).max(64),
  password: z.string().min(1).max(256),
});

export const TokenResponse = z.object({
  access_token: z.string(),
  token_type: z.literal('bearer'),
  expires_in: z.number().int(),
});

export const PasswordChangeBody = z.strictObject({
  current_password: z.string().min(1).max(256),
  new_password: z.string().min(10, 'at least 10 characters').max(256),
});

export const BranchCreateBody = z.strictObject({
  parent_id: z.string().min(1).max(64),
  code: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9_-]{2,32}$/, '2–32 letters, digits, _ or -'),
  name: z.string().trim().min(1).max(100),
  name_en: z.string().trim().min(1).max(100),
});

export const UserCreateBody = z.strictObject({
  username: z
    .string()
    .trim()
    .regex(/^[a-z][a-z0-9_.-]{2,31}$/, '3–32 lower-case letters, digits, _ . -, starting with a letter'),
  display_name: z.string().trim().min(1).max(100),
  role: z.enum(ROLES),
  branch_id: z.string().min(1).max(64),
  password: z.string().min(10, 'at least 10 characters').max(256),
});

export const UserUpdateBody = z
  .strictObject({
    display_name: z.string().trim().min(1).max(100).optional(),
    role: z.enum(ROLES).optional(),
    branch_id: z.string().min(1).max(64).optional(),
    disabled: z.boolean().optional(),
    password: z.string().min(10).max(256).optional(),
  })
  .refine((v) => Object.keys(v).length > 0, { message: 'nothing to change' });

export const BranchDto = z.object({
  id: z.string(),
  parent_id: z.string().nullable(),
  code: z.string(),
  name: z.string(),
  name_en: z.string(),
  level: z.enum(['union', 'county', 'outlet']),
});

export const UserDto = z.object({
  id: z.string(),
  username: z.string(),
  display_name: z.string(),
  role: z.enum(ROLES),
  branch_id: z.string(),
  disabled: z.boolean(),
  locked_until: z.string().nullable(),
});

export const MeDto = UserDto.extend({
  branch: BranchDto,
  permissions: z.array(z.string()),
});

export type BranchDtoT = z.infer<typeof BranchDto>;
export type UserDtoT = z.infer<typeof UserDto>;
