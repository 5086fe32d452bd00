/** A failed action's message, announced (role="alert"), keeping the line breaks of field errors. */
export function ActionError({ error }: { error: string | undefined }) {
  if (!error) return null;
  return (
    <p role="alert" className="error problem">
      {error}
    </p>
  );
}
