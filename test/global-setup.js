// The cloud functions run in UTC; tests do too unless a run asks for another zone on purpose.
module.exports = async () => {
  process.env.TZ = process.env.TZ || 'UTC';
};
