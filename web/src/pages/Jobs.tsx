/** Jobs (placeholder of the app shell; the page itself comes with issue 13). */
export function Jobs() {
  return (
    <section>
      <h1>Jobs</h1>
    </section>
  );
}
