import Stripe from 'stripe';

const key = process.env.STRIPE_SECRET_KEY;
if (!key) {
  throw new Error('STRIPE_SECRET_KEY is required');
}

export const stripe = new Stripe(key, {
  apiVersion: '2024-06-20',
  maxNetworkRetries: 2,
  appInfo: { name: 'billing-assistant-mcp', version: '0.7.0' },
});

export async function findCustomer(email: string): Promise<Stripe.Customer | undefined> {
  const res = await stripe.customers.search({ query: `email:'${email.replace(/'/g, "\\'")}'`, limit: 1 });
  return res.data[0];
}

export async function listInvoices(customerId: string, limit = 10): Promise<Stripe.Invoice[]> {
  const page = await stripe.invoices.list({ customer: customerId, limit });
  return page.data;
}

export async function refundCharge(chargeId: string, amount?: number): Promise<Stripe.Refund> {
  return stripe.refunds.create({ charge: chargeId, amount });
}
