// Queries used by more than one screen: one key and one fetcher each, so every screen shares the
// same cache entry (`useQuery(routersQuery())`).
import { queryOptions } from '@tanstack/react-query';
import { keys } from '../lib/queryKeys';
import { api } from './client';
import { ApiError, unwrap } from './errors';
import type { BusinessProfile } from './types';

export const routersQuery = () =>
  queryOptions({ queryKey: keys.routers.list(), queryFn: () => unwrap(api.GET('/api/routers')) });

export const plansQuery = () =>
  queryOptions({ queryKey: keys.plans.list(), queryFn: () => unwrap(api.GET('/api/plans')) });

export const customerQuery = (id: string) =>
  queryOptions({
    queryKey: keys.customers.detail(id),
    queryFn: () => unwrap(api.GET('/api/customers/{id}', { params: { path: { id } } })),
  });

export const voucherProfilesQuery = () =>
  queryOptions({ queryKey: keys.voucherProfiles.list(), queryFn: () => unwrap(api.GET('/api/voucher-profiles')) });

export const resellersQuery = () =>
  queryOptions({ queryKey: keys.resellers.list(), queryFn: () => unwrap(api.GET('/api/resellers')) });

export const voucherBatchesQuery = () =>
  queryOptions({ queryKey: keys.vouchers.batches(), queryFn: () => unwrap(api.GET('/api/vouchers/batches')) });

export const resellerBatchesQuery = () =>
  queryOptions({ queryKey: keys.reseller.batches(), queryFn: () => unwrap(api.GET('/api/reseller/batches')) });

export const publicUrlQuery = () =>
  queryOptions({ queryKey: keys.settings.publicUrl(), queryFn: () => unwrap(api.GET('/api/settings/public-url')) });

const EMPTY_PROFILE: BusinessProfile = {
  name: '',
  address: '',
  phone: '',
  bank_accounts: [],
  tax_rate_bp: 0,
  timezone: 'Asia/Jakarta',
  currency: 'IDR',
  timezone_in_use: 'Asia/Jakarta',
  supported_currencies: ['IDR'],
  accept_gateway_amount: true,
  pay_without_public_address: false,
};

/** The business profile; a missing one (first run) starts empty. */
export const businessProfileQuery = () =>
  queryOptions({
    queryKey: keys.settings.business(),
    queryFn: async () => {
      try {
        return await unwrap(api.GET('/api/settings/business'));
      } catch (e) {
        if (e instanceof ApiError && e.kind === 'not_found') return EMPTY_PROFILE;
        throw e;
      }
    },
  });
