from django.core.paginator import Paginator


def page_of(queryset, number, per_page: int, *, order_by=("pk",), fetch=None, count=None):
    """A page of a large, ordered list, fetched in two steps: the ids of the page from the
    index alone (so skipping far into the list does not read the rows it skips), then
    those rows with their related objects. `fetch` prepares the queryset for the rows;
    `count`, when given, tells how many there are (from a cache, say) instead of counting."""
    ids = queryset.order_by(*order_by).values_list("pk", flat=True)
    paginator = Paginator(ids, per_page)
    if count is not None:
        paginator.count = count()
    page = paginator.get_page(number)
    wanted = list(page.object_list)
    rows = (fetch(queryset.model.objects.all()) if fetch else queryset.model.objects.all()).in_bulk(wanted)
    page.object_list = [rows[pk] for pk in wanted if pk in rows]
    return page
