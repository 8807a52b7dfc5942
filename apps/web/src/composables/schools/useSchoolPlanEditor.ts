import { computed, reactive, ref, shallowRef, watch, type Ref } from 'vue';
import type { PlanPreview, Resource, SchoolPlan, SchoolPlanBody } from '@sports/contracts';
import { localDate } from '@sports/domain';
import { ApiError } from '@/api/shared/http.ts';
import { createPlan, fetchPlan, previewPlan, publishPlan, updatePlan, withdrawPlan } from '@/api/schools/schools.ts';
import { fetchVenue } from '@/api/venues/venues.ts';
import { emptyPlanDraft, planBody, planDraftOf, planProblems, SCHOOL_TIME_ZONE, type PlanDraft } from '@/lib/schools/school-rules.ts';

/**
 * The plan editor: a draft of a new or saved plan, the resources of its venue, a preview of the
 * sessions it would give (only valid for the values it was made with), saving, publishing and
 * withdrawing. Field messages come from the local checks or the server's refusal.
 */
export function useSchoolPlanEditor(planId: Ref<string | null>, now: () => Date = () => new Date()) {
  const today = localDate(now(), SCHOOL_TIME_ZONE);
  const plan = shallowRef<SchoolPlan | null>(null);
  const draft = reactive<PlanDraft>(emptyPlanDraft(today));
  const loading = ref(false);
  const loadError = ref('');
  const notFound = ref(false);
  const resources = shallowRef<Resource[]>([]);
  const venueName = ref('');
  const resourcesLoading = ref(false);
  const errors = reactive<Record<string, string>>({});
  const formError = ref('');
  const busy = ref<'' | 'save' | 'preview' | 'publish' | 'withdraw'>('');
  const preview = shallowRef<PlanPreview | null>(null);
  let previewedBody = '';

  const editable = computed(() => plan.value === null || plan.value.status === 'draft');
  /** The preview stands only for the values it was made with. */
  const previewCurrent = computed(() => preview.value !== null && previewedBody === JSON.stringify(planBody(draft)));
  const saved = computed(() => plan.value !== null && JSON.stringify(planBody(planDraftOf(plan.value))) === JSON.stringify(planBody(draft)));

  function clearErrors(): void {
    for (const key of Object.keys(errors)) delete errors[key];
    formError.value = '';
  }

  async function load(): Promise<void> {
    // A new draft that was just saved is already in hand (and keeps its preview).
    if (planId.value && plan.value?.id === planId.value) return;
    clearErrors();
    preview.value = null;
    if (!planId.value) {
      plan.value = null;
      Object.assign(draft, emptyPlanDraft(today));
      return;
    }
    loading.value = true;
    loadError.value = '';
    notFound.value = false;
    try {
      const found = await fetchPlan(planId.value);
      plan.value = found;
      Object.assign(draft, planDraftOf(found));
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      if (err.status === 404 || err.status === 400) notFound.value = true;
      else loadError.value = err.detail;
    } finally {
      loading.value = false;
    }
  }

  /** The chosen venue's fields and halls a plan may open (not the retired ones). */
  async function loadResources(venueId: string): Promise<void> {
    resources.value = [];
    venueName.value = '';
    if (!venueId) return;
    resourcesLoading.value = true;
    try {
      const venue = await fetchVenue(venueId);
      if (venueId !== draft.venueId) return;
      venueName.value = venue.name;
      resources.value = venue.resources.filter((resource) => resource.status !== 'retired');
      if (draft.resourceId && !resources.value.some((resource) => resource.id === draft.resourceId)) draft.resourceId = '';
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      errors.resourceId = err.detail;
    } finally {
      resourcesLoading.value = false;
    }
  }

  watch(() => draft.venueId, (venueId) => void loadResources(venueId));

  /** Local checks first; false (with messages placed) when something is wrong. */
  function check(message: (key: string) => string): SchoolPlanBody | null {
    clearErrors();
    const found = planProblems(draft);
    for (const [field, key] of Object.entries(found)) errors[field] = message(key);
    if (Object.keys(found).length > 0) {
      formError.value = message('checkFields');
      return null;
    }
    return planBody(draft);
  }

  function showRefusal(err: unknown, message: (key: string) => string): void {
    if (!(err instanceof ApiError)) throw err;
    const fields = Object.entries(err.fields);
    for (const [field, text] of fields) errors[field.replace(/^\//, '').replace(/\//g, '.')] = text;
    formError.value = fields.length > 0 ? message('checkFields') : err.detail;
  }

  async function runPreview(message: (key: string) => string): Promise<boolean> {
    const body = check(message);
    if (!body) return false;
    busy.value = 'preview';
    try {
      preview.value = await previewPlan(body);
      previewedBody = JSON.stringify(body);
      return true;
    } catch (err) {
      showRefusal(err, message);
      return false;
    } finally {
      busy.value = '';
    }
  }

  /** Creates the draft or saves its changes; the saved plan, or null with the refusal shown. */
  async function save(message: (key: string) => string): Promise<SchoolPlan | null> {
    const body = check(message);
    if (!body) return null;
    busy.value = 'save';
    try {
      const result = plan.value ? await updatePlan(plan.value.id, body) : await createPlan(body);
      plan.value = result;
      return result;
    } catch (err) {
      showRefusal(err, message);
      return null;
    } finally {
      busy.value = '';
    }
  }

  /** Publishes the saved draft: its sessions for the coming days appear to residents. */
  async function publish(message: (key: string) => string): Promise<SchoolPlan | null> {
    const current = plan.value;
    if (!current) return null;
    clearErrors();
    busy.value = 'publish';
    try {
      const result = await publishPlan(current.id);
      plan.value = result;
      return result;
    } catch (err) {
      showRefusal(err, message);
      return null;
    } finally {
      busy.value = '';
    }
  }

  async function withdraw(reason: string): Promise<string | null> {
    const current = plan.value;
    if (!current) return null;
    busy.value = 'withdraw';
    try {
      plan.value = await withdrawPlan(current.id, reason);
      return null;
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      return err.detail;
    } finally {
      busy.value = '';
    }
  }

  watch(planId, load, { immediate: true });

  return {
    today,
    plan,
    draft,
    loading,
    loadError,
    notFound,
    resources,
    resourcesLoading,
    venueName,
    errors,
    formError,
    busy,
    preview,
    previewCurrent,
    saved,
    editable,
    load,
    runPreview,
    save,
    publish,
    withdraw,
  };
}
