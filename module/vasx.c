// SPDX-License-Identifier: GPL-2.0
/*
 * vasx: publish the live layout of the kernel half of the virtual address
 * space, and where each thread's kernel objects live, for the vasx explorer.
 *
 * Both files reveal KASLR-randomised addresses, so they are 0400 and refused
 * (EPERM) to anyone who opened them without CAP_SYS_ADMIN. Format version 1:
 * plain text, one record a line, fields separated by one space, addresses
 * as 0x%016lx, end addresses exclusive (an end of 0 is the top of the
 * address space). A reader refuses a version it does not know and ignores
 * lines it does not know within version 1.
 *
 * /sys/kernel/debug/vasx/layout:
 *	vasx-layout 1
 *	arch x86_64
 *	page_size 4096
 *	paging_levels 4			(5 with LA57)
 *	user_va_bits 47			(56 with LA57)
 *	task_size 0x00007ffffffff000
 *	region START END PERMS KEY DESCRIPTION...
 *	truncated			(only if regions were left out)
 * Regions come sorted by start, a region before those nested in it; PERMS
 * is "rwx" with '-' for what is missing. KEY is one of guard-hole,
 * ldt-remap, direct-map, ram (System RAM inside the direct map; the
 * description ends with its physical range), vmalloc, vmemmap,
 * kasan-shadow, cpu-entry-area, espfix, efi, kernel-map (the kernel text
 * mapping) holding kernel-image, which holds kernel-text, kernel-gap (the
 * padding up to the rodata, freed at boot: rw-, or --- where page-table
 * isolation unmapped it), kernel-rodata and kernel-data, modules, fixmap,
 * vsyscall (in the fixmap); pci-io, pkmap and vectors on ARM.
 *
 * /sys/kernel/debug/vasx/tasks:
 *	vasx-tasks 1
 *	task PID TGID COMM TASK TASK_PHYS STACK MM PGD
 * One line per thread, the idle task (the head of the task list) first.
 * COMM has bytes <= ' ', '\\' and >= 0x7f written as \ooo (an empty name
 * as \000). MM and PGD are 0 for kernel threads; STACK is 0 once a dead
 * task's stack is freed.
 */

#include <linux/capability.h>
#include <linux/debugfs.h>
#include <linux/init.h>
#include <linux/io.h>
#include <linux/ioport.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/sched/task_stack.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/utsname.h>
#include <linux/vmalloc.h>
#include <asm/fixmap.h>
#include <asm/page.h>
#include <asm/pgtable.h>

#ifdef CONFIG_X86_64
#include <linux/efi.h>
#include <asm/cpu_entry_area.h>
#include <asm/vsyscall.h>
#endif
#ifdef CONFIG_KASAN
#include <asm/kasan.h>
#endif
#ifdef CONFIG_HIGHMEM
#include <asm/highmem.h>
#endif

#define VASX_MAX_REGIONS 128

struct vasx_region {
	unsigned long start;
	unsigned long last;		/* inclusive: a region may end at 2^64 */
	unsigned int depth;		/* 0 for top-level regions */
	bool has_phys;
	phys_addr_t phys_start, phys_last;
	const char *perms;
	const char *key;
	const char *desc;
};

struct vasx_layout {
	const char *arch;
	unsigned int levels;
	unsigned int user_va_bits;
	unsigned long task_size;
	unsigned int n;
	bool truncated;
	struct vasx_region r[VASX_MAX_REGIONS];
};

static struct dentry *vasx_dir;

static bool vasx_allowed(struct seq_file *m)
{
	/* The opener's credentials, as an open-time check would see them. */
	return file_ns_capable(m->file, &init_user_ns, CAP_SYS_ADMIN);
}

static struct vasx_region *vasx_add(struct vasx_layout *l, unsigned long start,
				    unsigned long last, unsigned int depth,
				    const char *perms, const char *key,
				    const char *desc)
{
	struct vasx_region *r;

	if (last < start)
		return NULL;
	if (l->n == VASX_MAX_REGIONS) {
		l->truncated = true;
		return NULL;
	}
	r = &l->r[l->n++];
	*r = (struct vasx_region) {
		.start = start, .last = last, .depth = depth,
		.perms = perms, .key = key, .desc = desc,
	};
	return r;
}

/* System RAM as the linear map sees it: only what is mapped there. */
static int vasx_add_ram(struct resource *res, void *arg)
{
	struct vasx_layout *l = arg;
	phys_addr_t limit = virt_to_phys((void *)((unsigned long)high_memory - 1));
	phys_addr_t last = min_t(phys_addr_t, res->end, limit);
	struct vasx_region *r;

	if (res->start > last)
		return 0;
	r = vasx_add(l, (unsigned long)__va(res->start),
		     (unsigned long)__va(last), 1, "rw-", "ram",
		     "System RAM in the direct map");
	if (r) {
		r->has_phys = true;
		r->phys_start = res->start;
		r->phys_last = last;
	}
	return 0;
}

static void vasx_add_ram_all(struct vasx_layout *l)
{
	walk_iomem_res_desc(IORES_DESC_NONE,
			    IORESOURCE_SYSTEM_RAM | IORESOURCE_BUSY,
			    0, -1, l, vasx_add_ram);
}

#if defined(CONFIG_X86_64)

#define VASX_R 4
#define VASX_W 2
#define VASX_X 1

/* Present pages are always readable here, so 0 means not present. */
static unsigned int vasx_pte_perms(pteval_t flags)
{
	if (!(flags & _PAGE_PRESENT))
		return 0;
	return VASX_R | ((flags & _PAGE_RW) ? VASX_W : 0) |
	       ((flags & _PAGE_NX) ? 0 : VASX_X);
}

/*
 * Name a run of pages of the image by where it lies: the first executable
 * run is the text, the first read-only run after it the rodata, the space
 * in between the padding freed at boot, and everything after the rodata
 * is data, bss and brk (with the odd page set read-only at run time).
 * Pages freed at boot are never text or rodata, whatever permissions they
 * have since the page allocator gave them out again (a module's code or
 * read-only data changes the permissions of this alias too).
 */
struct vasx_image {
	unsigned long start, end;	/* present pages seen so far */
	unsigned long text_end, rodata_start;
	unsigned long data;		/* where the data begins, once known */
	bool text, rodata;
};

static void vasx_add_section(struct vasx_layout *l, struct vasx_image *im,
			     unsigned long start, unsigned long end,
			     unsigned int perms, bool freed)
{
	if (im->rodata)
		return;
	if (!freed && !im->text && perms == (VASX_R | VASX_X)) {
		im->text = true;
		im->text_end = end;
		vasx_add(l, start, end - 1, 2, "r-x", "kernel-text",
			 "kernel code (_text to _etext)");
	} else if (!freed && im->text && perms == VASX_R) {
		im->rodata = true;
		im->rodata_start = start;
		im->data = end;
		vasx_add(l, start, end - 1, 2, "r--", "kernel-rodata",
			 "kernel read-only data");
	}
}

/*
 * The kernel's own pages of its image stay reserved; those freed at boot
 * (the padding around rodata, init memory) went back to the allocator.
 */
static bool vasx_freed(unsigned long addr)
{
	unsigned long pfn = __pa(addr) >> PAGE_SHIFT;

	return pfn_valid(pfn) && !PageReserved(pfn_to_page(pfn));
}

/*
 * The size a lookup_address() answer covers: a leaf at @level, or, when no
 * entry was found, the empty entry one level below the last present one.
 */
static unsigned long vasx_step(unsigned int level, bool found)
{
	if (!found && level > PG_LEVEL_4K)
		level--;
	switch (level) {
	case PG_LEVEL_2M:
		return PMD_SIZE;
	case PG_LEVEL_1G:
		return PUD_SIZE;
	default:
		return PAGE_SIZE;
	}
}

/*
 * The kernel image inside the kernel text mapping, from the live page
 * tables: boot clears the mapping outside the image, and mark_rodata_ro()
 * gives text, read-only data and data their own permissions.
 */
static void vasx_add_kernel_image(struct vasx_layout *l)
{
	unsigned long addr = __START_KERNEL_map;
	unsigned long top = __START_KERNEL_map + KERNEL_IMAGE_SIZE;
	struct vasx_image im = { 0 };
	unsigned int run_perms = 0;
	unsigned long run = 0;
	bool run_freed = false, pti = boot_cpu_has(X86_FEATURE_PTI);

	while (addr < top) {
		unsigned int level, perms = 0;
		unsigned long size, next;
		pte_t *pte = lookup_address(addr, &level);
		bool freed = false;

		if (pte)
			perms = vasx_pte_perms(pte_flags(*pte));
		if (perms)
			freed = vasx_freed(addr);
		size = vasx_step(level, pte);
		next = (addr & ~(size - 1)) + size;
		if (perms != run_perms || freed != run_freed) {
			if (run_perms)
				vasx_add_section(l, &im, run, addr, run_perms,
						 run_freed);
			run = addr;
			run_perms = perms;
			run_freed = freed;
		}
		if (perms) {
			if (!im.start)
				im.start = addr;
			im.end = next;
		}
		addr = next;
	}
	if (run_perms)
		vasx_add_section(l, &im, run, addr, run_perms, run_freed);
	if (!im.start)
		return;
	vasx_add(l, im.start, im.end - 1, 1, "rwx", "kernel-image",
		 "the kernel image (_text to the end of brk)");
	/*
	 * As the kernel freed it (read-write, or unmapped under page-table
	 * isolation), whatever its pages became since: they are not the
	 * kernel's any more.
	 */
	if (im.rodata && im.text_end < im.rodata_start)
		vasx_add(l, im.text_end, im.rodata_start - 1, 2,
			 pti ? "---" : "rw-", "kernel-gap", pti ?
			 "padding between text and rodata, freed at boot and unmapped" :
			 "padding between text and rodata, freed at boot");
	if (im.data && im.data < im.end)
		vasx_add(l, im.data, im.end - 1, 2, "rw-", "kernel-data",
			 "kernel data, bss and brk");
}

static void vasx_layout_arch(struct vasx_layout *l)
{
	unsigned long dm_last = min(PAGE_OFFSET + (1UL << MAX_PHYSMEM_BITS),
				    VMALLOC_START) - 1;
	unsigned long vmemmap_size = (1UL << (MAX_PHYSMEM_BITS - PAGE_SHIFT)) *
				     sizeof(struct page);

	l->arch = "x86_64";
	l->levels = pgtable_l5_enabled() ? 5 : 4;
	l->user_va_bits = __VIRTUAL_MASK_SHIFT;
	l->task_size = TASK_SIZE_MAX;

	vasx_add(l, GUARD_HOLE_BASE_ADDR, GUARD_HOLE_END_ADDR - 1, 0, "---",
		 "guard-hole", "guard hole, reserved for a hypervisor");
	vasx_add(l, LDT_BASE_ADDR, LDT_END_ADDR - 1, 0, "r--", "ldt-remap",
		 "LDT remap for PTI");
	vasx_add(l, PAGE_OFFSET, dm_last, 0, "rw-", "direct-map",
		 "direct mapping of all physical memory (page_offset_base)");
	vasx_add_ram_all(l);
	vasx_add(l, VMALLOC_START, VMALLOC_END, 0, "rw-", "vmalloc",
		 "vmalloc/ioremap space (vmalloc_base)");
	vasx_add(l, VMEMMAP_START, VMEMMAP_START + vmemmap_size - 1, 0, "rw-",
		 "vmemmap", "virtual memory map: struct page array (vmemmap_base)");
#ifdef CONFIG_KASAN
	vasx_add(l, KASAN_SHADOW_START, KASAN_SHADOW_END - 1, 0, "rw-",
		 "kasan-shadow", "KASAN shadow memory");
#endif
	vasx_add(l, CPU_ENTRY_AREA_BASE,
		 CPU_ENTRY_AREA_BASE + CPU_ENTRY_AREA_MAP_SIZE - 1, 0, "rw-",
		 "cpu-entry-area", "cpu_entry_area mapping");
	vasx_add(l, ESPFIX_BASE_ADDR, ESPFIX_BASE_ADDR + P4D_SIZE - 1, 0,
		 "rw-", "espfix", "%esp fixup stacks");
	vasx_add(l, EFI_VA_END, EFI_VA_START - 1, 0, "rwx", "efi",
		 efi_enabled(EFI_RUNTIME_SERVICES) ?
		 "EFI runtime services mapping" :
		 "EFI region mapping space (unused: no EFI runtime services)");
	vasx_add(l, __START_KERNEL_map,
		 __START_KERNEL_map + KERNEL_IMAGE_SIZE - 1, 0, "rwx",
		 "kernel-map", "kernel text mapping, mapped to physical address 0");
	vasx_add_kernel_image(l);
	vasx_add(l, MODULES_VADDR, MODULES_END - 1, 0, "rwx", "modules",
		 "module mapping space");
	/* Fixmap index 0 sits at FIXADDR_TOP and the indices grow down. */
	vasx_add(l, FIXADDR_START + PAGE_SIZE, FIXADDR_TOP + PAGE_SIZE - 1, 0,
		 "rw-", "fixmap", "kernel-internal fixmap range");
	vasx_add(l, VSYSCALL_ADDR, VSYSCALL_ADDR + PAGE_SIZE - 1, 1, "--x",
		 "vsyscall", "legacy vsyscall ABI");
}

#elif defined(CONFIG_ARM64)

static void vasx_layout_arch(struct vasx_layout *l)
{
	l->arch = "arm64";
	l->levels = CONFIG_PGTABLE_LEVELS;
	l->user_va_bits = vabits_actual;
	l->task_size = TASK_SIZE_64;

	vasx_add(l, PAGE_OFFSET, PAGE_END - 1, 0, "rw-", "direct-map",
		 "linear mapping of physical memory");
	vasx_add_ram_all(l);
#ifdef CONFIG_KASAN
	vasx_add(l, KASAN_SHADOW_START, KASAN_SHADOW_END - 1, 0, "rw-",
		 "kasan-shadow", "KASAN shadow memory");
#endif
	vasx_add(l, MODULES_VADDR, MODULES_END - 1, 0, "rwx", "modules",
		 "module mapping space");
	vasx_add(l, VMALLOC_START, VMALLOC_END - 1, 0, "rw-", "vmalloc",
		 "vmalloc/ioremap space, holding the kernel image");
	vasx_add(l, FIXADDR_START, FIXADDR_TOP - 1, 0, "rw-", "fixmap",
		 "kernel-internal fixmap range");
	vasx_add(l, PCI_IO_START, PCI_IO_END - 1, 0, "rw-", "pci-io",
		 "PCI I/O space");
	vasx_add(l, VMEMMAP_START, VMEMMAP_END - 1, 0, "rw-", "vmemmap",
		 "virtual memory map: struct page array");
}

#elif defined(CONFIG_ARM)

static void vasx_layout_arch(struct vasx_layout *l)
{
	l->arch = "arm";
	l->levels = CONFIG_PGTABLE_LEVELS;
	l->user_va_bits = 32;
	l->task_size = TASK_SIZE;

	vasx_add(l, MODULES_VADDR, MODULES_END - 1, 0, "rwx", "modules",
		 "module mapping space");
#ifdef CONFIG_HIGHMEM
	vasx_add(l, PKMAP_BASE, PKMAP_BASE + LAST_PKMAP * PAGE_SIZE - 1, 0,
		 "rw-", "pkmap", "permanent mappings of high memory");
#endif
	vasx_add(l, PAGE_OFFSET, (unsigned long)high_memory - 1, 0, "rw-",
		 "direct-map", "lowmem: linear mapping of physical memory");
	vasx_add_ram_all(l);
	vasx_add(l, VMALLOC_START, VMALLOC_END - 1, 0, "rw-", "vmalloc",
		 "vmalloc/ioremap space");
	vasx_add(l, FIXADDR_START, FIXADDR_END - 1, 0, "rw-", "fixmap",
		 "kernel-internal fixmap range");
	vasx_add(l, VECTORS_BASE, VECTORS_BASE + 2 * PAGE_SIZE - 1, 0, "r-x",
		 "vectors", "exception vectors page");
}

#else

static void vasx_layout_arch(struct vasx_layout *l)
{
	l->arch = utsname()->machine;
	l->levels = CONFIG_PGTABLE_LEVELS;
	l->user_va_bits = BITS_PER_LONG;
	l->task_size = TASK_SIZE;

	vasx_add(l, PAGE_OFFSET, (unsigned long)high_memory - 1, 0, "rw-",
		 "direct-map", "linear mapping of physical memory");
	vasx_add_ram_all(l);
	vasx_add(l, VMALLOC_START, VMALLOC_END - 1, 0, "rw-", "vmalloc",
		 "vmalloc/ioremap space");
}

#endif

static int vasx_region_cmp(const void *a, const void *b)
{
	const struct vasx_region *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	if (x->last != y->last)
		return x->last > y->last ? -1 : 1;	/* parents first */
	return (int)x->depth - (int)y->depth;
}

/*
 * Some extents (the direct map, vmemmap) are upper bounds derived from the
 * largest physical address: never let one run into the next region.
 */
static void vasx_clip(struct vasx_layout *l)
{
	unsigned int i, j;

	for (i = 0; i < l->n; i++) {
		if (l->r[i].depth)
			continue;
		for (j = i + 1; j < l->n && l->r[j].depth; j++)
			;
		if (j < l->n && l->r[i].last >= l->r[j].start)
			l->r[i].last = l->r[j].start - 1;
	}
}

static int vasx_layout_show(struct seq_file *m, void *unused)
{
	struct vasx_layout *l;
	unsigned int i;

	if (!vasx_allowed(m))
		return -EPERM;
	l = kzalloc(sizeof(*l), GFP_KERNEL);
	if (!l)
		return -ENOMEM;
	vasx_layout_arch(l);
	sort(l->r, l->n, sizeof(l->r[0]), vasx_region_cmp, NULL);
	vasx_clip(l);

	seq_puts(m, "vasx-layout 1\n");
	seq_printf(m, "arch %s\n", l->arch);
	seq_printf(m, "page_size %lu\n", PAGE_SIZE);
	seq_printf(m, "paging_levels %u\n", l->levels);
	seq_printf(m, "user_va_bits %u\n", l->user_va_bits);
	seq_printf(m, "task_size 0x%016lx\n", l->task_size);
	for (i = 0; i < l->n; i++) {
		const struct vasx_region *r = &l->r[i];

		seq_printf(m, "region 0x%016lx 0x%016lx %s %s %s", r->start,
			   r->last + 1, r->perms, r->key, r->desc);
		if (r->has_phys)
			seq_printf(m, ", physical 0x%llx-0x%llx",
				   (unsigned long long)r->phys_start,
				   (unsigned long long)r->phys_last + 1);
		seq_putc(m, '\n');
	}
	if (l->truncated)
		seq_puts(m, "truncated\n");
	kfree(l);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(vasx_layout);

/* comm is any bytes but NUL: keep the line's fields apart. */
static void vasx_put_comm(struct seq_file *m, const char *s)
{
	if (!*s) {
		seq_puts(m, "\\000");
		return;
	}
	for (; *s; s++) {
		unsigned char c = *s;

		if (c <= ' ' || c == '\\' || c >= 0x7f)
			seq_printf(m, "\\%03o", c);
		else
			seq_putc(m, c);
	}
}

static void vasx_task_line(struct seq_file *m, struct task_struct *t)
{
	char comm[TASK_COMM_LEN];
	struct mm_struct *mm;
	unsigned long pgd = 0;

	get_task_comm(comm, t);
	task_lock(t);
	mm = t->mm;
	if (mm)
		pgd = (unsigned long)mm->pgd;
	task_unlock(t);

	seq_printf(m, "task %d %d ", task_pid_nr(t), task_tgid_nr(t));
	vasx_put_comm(m, comm);
	seq_printf(m, " 0x%016lx 0x%016llx 0x%016lx 0x%016lx 0x%016lx\n",
		   (unsigned long)t, (unsigned long long)virt_to_phys(t),
		   (unsigned long)task_stack_page(t), (unsigned long)mm, pgd);
}

static int vasx_tasks_show(struct seq_file *m, void *unused)
{
	struct task_struct *g, *t;

	if (!vasx_allowed(m))
		return -EPERM;
	seq_puts(m, "vasx-tasks 1\n");
	/* The head of the task list, which the walk below does not visit. */
	vasx_task_line(m, &init_task);
	rcu_read_lock();
	for_each_process_thread(g, t)
		vasx_task_line(m, t);
	rcu_read_unlock();
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(vasx_tasks);

static int __init vasx_init(void)
{
	vasx_dir = debugfs_create_dir("vasx", NULL);
	/* Without debugfs (debugfs=off) the module would publish nothing. */
	if (IS_ERR(vasx_dir))
		return PTR_ERR(vasx_dir);
	debugfs_create_file("layout", 0400, vasx_dir, NULL, &vasx_layout_fops);
	debugfs_create_file("tasks", 0400, vasx_dir, NULL, &vasx_tasks_fops);
	return 0;
}

static void __exit vasx_exit(void)
{
	debugfs_remove_recursive(vasx_dir);
}

module_init(vasx_init);
module_exit(vasx_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Publish the kernel's address space layout for vasx");
MODULE_AUTHOR("The vasx authors");
