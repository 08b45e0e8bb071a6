import { Link, useNavigate, useParams } from "@tanstack/react-router";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { api, must, problemText } from "../api/client";
import { Alert, Button, TextInput } from "../components/ui";
import { OrgHeader, ROLE_NAMES, useOrganization, useOrganizations, type Role } from "./common";

/** Your organisations, a new one, and accepting an invitation (the token from the e-mail). */
export function Organizations() {
  const organizations = useOrganizations();
  const queries = useQueryClient();
  const navigate = useNavigate();
  const [name, setName] = useState("");
  const [slug, setSlug] = useState("");
  const [token, setToken] = useState("");
  const [failure, setFailure] = useState<string | null>(null);

  const create = useMutation({
    mutationFn: async () => must(await api.POST("/v1/organizations", { body: { name, slug } })),
    onSuccess: async (org) => {
      await queries.invalidateQueries({ queryKey: ["organizations"] });
      await navigate({ to: "/app/orgs/$orgId", params: { orgId: org.id } });
    },
    onError: (error) => setFailure(problemText(error)),
  });
  const accept = useMutation({
    mutationFn: async () => must(await api.POST("/v1/invitations/accept", { body: { token: token.trim() } })),
    onSuccess: async () => {
      setToken("");
      await queries.invalidateQueries({ queryKey: ["organizations"] });
    },
    onError: (error) => setFailure(problemText(error)),
  });

  return (
    <div className="flex flex-col gap-6">
      <h1 className="text-2xl font-semibold">Organisations</h1>
      {failure && <Alert>{failure}</Alert>}
      <section aria-labelledby="mine">
        <h2 id="mine" className="text-lg font-semibold">
          Yours
        </h2>
        {organizations.data?.length === 0 && <p>You do not belong to an organisation yet.</p>}
        <ul className="mt-2 flex flex-col gap-2">
          {(organizations.data ?? []).map((org) => (
            <li key={org.id}>
              <Link to="/app/orgs/$orgId" params={{ orgId: org.id }} className="font-semibold text-blue-800 underline">
                {org.name}
              </Link>{" "}
              <span className="text-sm text-slate-800">({ROLE_NAMES[org.role]})</span>
            </li>
          ))}
        </ul>
      </section>
      <form
        className="flex max-w-xl flex-col gap-3"
        aria-labelledby="new-org"
        onSubmit={(event) => {
          event.preventDefault();
          setFailure(null);
          create.mutate();
        }}
      >
        <h2 id="new-org" className="text-lg font-semibold">
          New organisation
        </h2>
        <TextInput label="Organisation name" value={name} onChange={(e) => setName(e.target.value)} required />
        <TextInput
          label="Careers page address"
          value={slug}
          onChange={(e) => setSlug(e.target.value)}
          pattern="[a-z0-9-]+"
          title="Lower-case letters, digits and hyphens"
          required
        />
        <Button type="submit" disabled={create.isPending} className="self-start">
          Create organisation
        </Button>
      </form>
      <form
        className="flex max-w-xl flex-col gap-3"
        aria-labelledby="accept"
        onSubmit={(event) => {
          event.preventDefault();
          setFailure(null);
          accept.mutate();
        }}
      >
        <h2 id="accept" className="text-lg font-semibold">
          Join with an invitation
        </h2>
        <TextInput label="Invitation code" value={token} onChange={(e) => setToken(e.target.value)} required />
        <Button type="submit" variant="secondary" disabled={accept.isPending} className="self-start">
          Join
        </Button>
      </form>
    </div>
  );
}

const GRANTABLE: Role[] = ["admin", "recruiter", "hiring_manager", "viewer"];

/** Members (role, removal) and invitations (send, revoke). */
export function OrganizationSettings() {
  const { orgId } = useParams({ from: "/app/orgs/$orgId/settings" });
  const me = useOrganization(orgId);
  const queries = useQueryClient();
  const [failure, setFailure] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [email, setEmail] = useState("");
  const [role, setRole] = useState<Role>("recruiter");
  const path = { org_id: orgId };

  const members = useQuery({
    queryKey: ["members", orgId],
    queryFn: async () =>
      must(await api.GET("/v1/organizations/{org_id}/members", { params: { path, query: { limit: 100 } } })).items,
  });
  const invitations = useQuery({
    queryKey: ["invitations", orgId],
    enabled: me !== undefined && (me.role === "owner" || me.role === "admin"),
    queryFn: async () =>
      must(await api.GET("/v1/organizations/{org_id}/invitations", { params: { path, query: { limit: 100 } } }))
        .items,
  });
  const refresh = async () => {
    await queries.invalidateQueries({ queryKey: ["members", orgId] });
    await queries.invalidateQueries({ queryKey: ["invitations", orgId] });
  };
  const run = (action: () => Promise<unknown>, done: string) => async () => {
    setFailure(null);
    setNotice(null);
    try {
      await action();
      setNotice(done);
      await refresh();
    } catch (error) {
      setFailure(problemText(error));
    }
  };

  return (
    <div>
      <OrgHeader orgId={orgId} title="Settings" />
      <div className="flex flex-col gap-6">
        {failure && <Alert>{failure}</Alert>}
        {notice && <Alert tone="success">{notice}</Alert>}
        <section aria-labelledby="members">
          <h2 id="members" className="text-lg font-semibold">
            Members
          </h2>
          <table className="mt-2 w-full max-w-3xl text-left text-sm">
            <thead>
              <tr>
                <th className="py-1">Name</th>
                <th className="py-1">E-mail</th>
                <th className="py-1">Role</th>
                <th className="py-1">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {(members.data ?? []).map((member) => (
                <tr key={member.id} className="border-t border-slate-300">
                  <td className="py-1">{member.name ?? "—"}</td>
                  <td className="py-1">{member.email}</td>
                  <td className="py-1">
                    {member.role === "owner" ? (
                      ROLE_NAMES.owner
                    ) : (
                      <select
                        aria-label={`Role of ${member.email}`}
                        className="rounded border border-slate-500 bg-white px-1"
                        value={member.role}
                        onChange={(event) =>
                          run(
                            async () =>
                              must(
                                await api.PATCH("/v1/organizations/{org_id}/members/{member_id}", {
                                  params: { path: { ...path, member_id: member.id } },
                                  body: { role: event.target.value as Role },
                                }),
                              ),
                            `${member.email} is now ${ROLE_NAMES[event.target.value as Role].toLowerCase()}.`,
                          )()
                        }
                      >
                        {GRANTABLE.map((value) => (
                          <option key={value} value={value}>
                            {ROLE_NAMES[value]}
                          </option>
                        ))}
                      </select>
                    )}
                  </td>
                  <td className="py-1">
                    {member.role !== "owner" && (
                      <Button
                        variant="ghost"
                        aria-label={`Remove ${member.email}`}
                        onClick={run(async () => {
                          const { response, error } = await api.DELETE("/v1/organizations/{org_id}/members/{member_id}", {
                            params: { path: { ...path, member_id: member.id } },
                          });
                          if (!response.ok) throw error;
                        }, `${member.email} was removed.`)}
                      >
                        Remove
                      </Button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
        <section aria-labelledby="invitations" className="flex max-w-3xl flex-col gap-3">
          <h2 id="invitations" className="text-lg font-semibold">
            Invitations
          </h2>
          <form
            className="flex flex-wrap items-end gap-3"
            onSubmit={(event) => {
              event.preventDefault();
              run(async () => {
                must(await api.POST("/v1/organizations/{org_id}/invitations", { params: { path }, body: { email, role } }));
                setEmail("");
              }, `Invitation sent to ${email}.`)();
            }}
          >
            <TextInput label="Invite by e-mail" type="email" value={email} onChange={(e) => setEmail(e.target.value)} required />
            <div className="flex flex-col gap-1">
              <label htmlFor="invite-role" className="text-sm font-semibold text-slate-800">
                As
              </label>
              <select
                id="invite-role"
                className="rounded-md border border-slate-500 bg-white px-2 py-2"
                value={role}
                onChange={(event) => setRole(event.target.value as Role)}
              >
                {GRANTABLE.map((value) => (
                  <option key={value} value={value}>
                    {ROLE_NAMES[value]}
                  </option>
                ))}
              </select>
            </div>
            <Button type="submit">Send invitation</Button>
          </form>
          <ul className="flex flex-col gap-1 text-sm" aria-label="Pending invitations">
            {(invitations.data ?? [])
              .filter((invitation) => !invitation.accepted_at && !invitation.revoked_at)
              .map((invitation) => (
                <li key={invitation.id} className="flex items-center gap-3">
                  {invitation.email} ({ROLE_NAMES[invitation.role]}), until {new Date(invitation.expires_at).toLocaleDateString()}
                  <Button
                    variant="ghost"
                    aria-label={`Revoke the invitation of ${invitation.email}`}
                    onClick={run(async () => {
                      const { response, error } = await api.DELETE(
                        "/v1/organizations/{org_id}/invitations/{invitation_id}",
                        { params: { path: { ...path, invitation_id: invitation.id } } },
                      );
                      if (!response.ok) throw error;
                    }, `The invitation of ${invitation.email} was revoked.`)}
                  >
                    Revoke
                  </Button>
                </li>
              ))}
          </ul>
        </section>
      </div>
    </div>
  );
}
