import { type Route, paramError } from './routes';

const STATES = { effective: 'CONTRACT_STATE_EFFECTIVE', terminated: 'CONTRACT_STATE_TERMINATED' } as const;

interface Contract {
  contract_id: string;
  plan_id: string;
  out_contract_code: string;
  display_name: string;
  contract_state: string;
  contract_signed_time: string;
  contract_terminated_time?: string;
  contract_terminated_mode?: string;
  contract_termination_remark?: string;
  repayment_day: number;
  openid: string;
  appid: string;
  repayment_amount_limit: number;
}


/**
 * The automatic-repayment contract routes of `v3/credit-repayment/partner/contracts`, answering
 * with the shapes of the catalogue. Every contract code exists (signed the moment it is first
 * asked for) until it is terminated; state lives in this sandbox only.
 */
export function contractRoutes(): Route[] {
  const contracts = new Map<string, Contract>();
  const find = (code: string): Contract => {
    let contract = contracts.get(code);
    if (!contract) {
      contract = {
        contract_id: String(100005698 + contracts.size),
        plan_id: '123',
        out_contract_code: code,
        display_name: '*明',
        contract_state: STATES.effective,
        contract_signed_time: '2021-11-20T13:29:35+08:00',
        repayment_day: 1,
        openid: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o',
        appid: 'wxd678efh567hg6787',
        repayment_amount_limit: 10000,
      };
      contracts.set(code, contract);
    }
    return contract;
  };
  return [
    {
      method: 'GET',
      path: '/v3/credit-repayment/partner/contracts/{out_contract_code}',
      handle: ({ params }) => ({ json: find(params.out_contract_code) }),
    },
    {
      method: 'POST',
      path: '/v3/credit-repayment/partner/contracts/terminate',
      handle: ({ json }) => {
        const body = (json ?? {}) as Record<string, unknown>;
        for (const field of ['out_contract_code', 'contract_termination_remark']) {
          if (typeof body[field] !== 'string' || body[field] === '') return paramError(`${field} is required`);
        }
        const contract = find(body.out_contract_code as string);
        if (contract.contract_state === STATES.terminated) {
          return { status: 400, json: { code: 'INVALID_REQUEST', message: 'the contract is already terminated' } };
        }
        Object.assign(contract, {
          contract_state: STATES.terminated,
          contract_terminated_time: new Date().toISOString().replace(/\.\d+Z$/, '+00:00'),
          contract_terminated_mode: 'TERMINATION_MODE_BY_MERCHANT',
          contract_termination_remark: body.contract_termination_remark,
        });
        return { json: { contract_info: contract } };
      },
    },
  ];
}
